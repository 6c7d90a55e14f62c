from django.conf import settings


def branding(request):
    """The Region's brand (name, logo, colours), configured by environment, for every template."""
    return {"brand": settings.SPRO_BRAND}
