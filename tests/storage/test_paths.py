"""Where the database lives: --data-dir, then the environment variable, then the user folder."""

from __future__ import annotations

from pathlib import Path

from radiculopathy_desktop.storage import paths


def test_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv("RADICULOPATHY_DESKTOP_DATA_DIR", str(tmp_path / "env"))
    assert paths.resolve_data_dir(tmp_path / "opt") == tmp_path / "opt"
    assert paths.resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("RADICULOPATHY_DESKTOP_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.resolve_data_dir(None) == tmp_path / "xdg" / "radiculopathy-desktop"
    assert paths.database_path(tmp_path).name == paths.DB_FILENAME


def test_network_filesystem_detection(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/vda1 / ext4 rw 0 0\n"
        "server:/export /mnt/clinic nfs4 rw 0 0\n"
        "//nas/share /mnt/share\\040drive cifs rw 0 0\n")
    assert paths.is_network_filesystem(Path("/mnt/clinic/data"), str(mounts))
    assert paths.is_network_filesystem(Path("/mnt/share drive/db"), str(mounts))
    assert not paths.is_network_filesystem(Path("/home/user/data"), str(mounts))
    assert not paths.is_network_filesystem(Path("/mnt/clinical"), str(mounts)), "prefix is not a mount match"
    assert not paths.is_network_filesystem(Path("/x"), str(tmp_path / "missing"))
