"""Tests mirror the package: unit/ per module, acceptance/ end to end, browser/ in Chromium."""
