"""`clearline serve` collects the static files only when one changed since the last start."""

import os

from clearline.cli import collect_static


def test_static_files_are_collected_again_only_when_one_changed(tmp_path, settings):
    source = tmp_path / "source"
    source.mkdir()
    (source / "brand.css").write_text("body { color: #123; }")
    settings.STATICFILES_DIRS = [source]
    # This folder alone: the apps' own files take half a minute to compress, twice.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"

    assert collect_static() is True
    collected = settings.STATIC_ROOT / "brand.css"
    assert collected.read_text() == "body { color: #123; }"

    assert collect_static() is False  # nothing changed: the start skips the work

    (source / "brand.css").write_text("body { color: #456; }")
    later = os.stat(source / "brand.css").st_mtime_ns + 10**9
    os.utime(source / "brand.css", ns=(later, later))
    assert collect_static() is True
    assert collected.read_text() == "body { color: #456; }"
