from django.conf import settings

from .navigation import Navigation


def navigation(request):
    return {"nav": Navigation(request), "SITE_NAME": settings.SITE_NAME}
