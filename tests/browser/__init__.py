"""Test package: unique module names across unit/, acceptance/ and browser/."""
