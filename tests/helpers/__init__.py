"""Set-up shared by several test folders (importable as ``helpers.<topic>``: tests/conftest.py
puts the tests folder on sys.path). A fixture used by one folder belongs in that folder's
conftest.py; code two or more files repeat belongs here."""
