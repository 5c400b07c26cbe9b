import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.settings")

django_application = get_wsgi_application()


def application(environ, start_response):
    """Fresh snapshot files are answered before Django's request machinery even starts.

    Under an outage's traffic the public page costs a stat() and a dict lookup; anything else
    (stale or missing files, every private page) goes through Django.
    """
    from clearline.statuspage.serving import fresh_file

    if environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
        item = fresh_file(environ.get("PATH_INFO", ""))
        if item is not None:
            if item.not_modified(environ.get("HTTP_IF_NONE_MATCH")):
                start_response(
                    "304 Not Modified",
                    [h for h in item.headers() if h[0] in {"ETag", "Cache-Control"}],
                )
                return [b""]
            start_response("200 OK", item.headers())
            return [item.body] if environ["REQUEST_METHOD"] == "GET" else [b""]
    return django_application(environ, start_response)
