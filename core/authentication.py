"""Django's model authentication backend, with fewer queries on every request.

- The user loaded from the session carries `has_confirmed_otp` (an `EXISTS` in the same
  query): the two-factor middleware asks it on every request of a user not yet verified.
- Permissions are read in one query (the user's own and their groups', which Django reads
  in two) and cached on the user object for the request where Django keeps them
  (`_perm_cache`): staff pay them on every page, since the navigation asks whether the
  admin site has anything for them."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        user = (
            get_user_model()
            ._default_manager.annotate(has_confirmed_otp=Exists(device))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache
