; Inno Setup script for Radiculopathy Desktop (Inno Setup 6.3 or later).
;
; Build on a Windows machine, from the repository folder:
;   .venv\Scripts\python packaging\build.py        (makes dist\radiculopathy-desktop\ and self-tests it)
;   iscc packaging\windows\radiculopathy-desktop.iss
; The installer is written to dist\installer\. PyInstaller cannot build Windows programs on
; Linux, so both steps run on Windows. Override the version with iscc /DAppVersion=x.y.z.
;
; The installer installs per machine (needs an administrator), into Program Files, and adds
; a Start-menu entry. It needs no internet connection, and the app makes no network
; connection.
;
; USER DATA IS NEVER DELETED. Each user's case database lives in their own profile,
; %LOCALAPPDATA%\radiculopathy-desktop\ (or wherever RADICULOPATHY_DESKTOP_DATA_DIR
; points), never under {app}. This script deliberately has no [UninstallDelete] section
; and its [InstallDelete] only clears the old program files in {app}\_internal, so an
; upgrade or an uninstall keeps every user's data folder as it was. Back it up with the
; usual profile backup; see packaging\README.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Radiculopathy Desktop"
#define AppExe "radiculopathy-desktop.exe"
#define AppCliExe "radiculopathy-desktop-cli.exe"

[Setup]
; The AppId identifies the app across upgrades: never change it.
AppId={{75219780-26F4-4FF1-8DEC-2D9CA2AF7BA2}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Radiculopathy Desktop developers
VersionInfoVersion={#AppVersion}
; Per-machine install: Program Files, all users' Start menu.
PrivilegesRequired=admin
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\resources\icons\radiculopathy-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist\installer
OutputBaseFilename=radiculopathy-desktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files (an open database is safe: SQLite).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrade: remove the previous version's program libraries so no stale file is left behind.
; Only the program folder {app}; user data is in the users' profiles and is never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder build: both programs, _internal\ (Python, Qt, plugins, resources).
Source: "..\..\dist\radiculopathy-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\README.md"; DestDir: "{app}"; DestName: "README-IT.md"; Flags: ignoreversion
Source: "..\..\LICENSE"; DestDir: "{app}"; DestName: "LICENSE.txt"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"; Comment: "Decision support for lumbar radiculopathy"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; Check the installation (offscreen, temporary database) before first use; fails the install log, not the user data.
Filename: "{app}\{#AppCliExe}"; Parameters: "--self-test"; StatusMsg: "Checking the installation..."; Flags: runhidden waituntilterminated
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: see the note at the top. Uninstall removes only
; the files this installer put in {app}.
