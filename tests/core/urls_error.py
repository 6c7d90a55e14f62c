"""The site's URLs plus one view that crashes, to see the 500 page a visitor would get."""

from django.urls import path

from spro.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [*site_urlpatterns, path("boum/", crash)]
