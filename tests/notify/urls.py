"""The site's addresses, plus stand-ins for the subscriber pages until they exist.

The manage and unsubscribe pages belong to the subscription views; messages only need their
addresses to be reversible, so these answer 204 and nothing more.
"""

from importlib.util import find_spec

from django.http import HttpResponse
from django.urls import include, path

from clearline.urls import urlpatterns as site

urlpatterns = list(site)
if find_spec("clearline.notify.urls") is None:

    def _stand_in(request, token):
        return HttpResponse(status=204)

    stand_ins = [
        path("manage/<str:token>/", _stand_in, name="manage"),
        path("unsubscribe/<str:token>/", _stand_in, name="unsubscribe"),
        path("confirm/<str:token>/", _stand_in, name="confirm"),
    ]
    urlpatterns.append(path("subscriptions/", include((stand_ins, "notify"))))
