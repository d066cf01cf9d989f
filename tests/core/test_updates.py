import pytest
from django.core.exceptions import ValidationError

from core.models import Site, Theme
from core.updates import model_update


@pytest.mark.django_db
def test_model_update_sets_allowed_fields_and_says_which_changed():
    site = Site.objects.get(code="calais")

    changed = model_update(
        instance=site,
        fields=["name_fr", "status"],
        data={"name_fr": f"  {site.name_fr}  ", "status": site.status},
    )

    site.refresh_from_db()
    assert changed == []  # the name only lost its spaces… which it never had
    changed = model_update(instance=site, fields=["name_fr"], data={"name_fr": "Calais (littoral)"})
    assert changed == ["name_fr"]
    assert Site.objects.get(pk=site.pk).name_fr == "Calais (littoral)"


@pytest.mark.django_db
def test_model_update_refuses_fields_outside_the_allow_list():
    site = Site.objects.get(code="calais")
    with pytest.raises(TypeError, match="status"):
        model_update(instance=site, fields=["name_fr"], data={"status": "suspended"})


@pytest.mark.django_db
def test_model_update_validates_before_writing():
    theme = Theme.objects.first()
    with pytest.raises(ValidationError):
        model_update(instance=theme, fields=["name_fr"], data={"name_fr": ""})
    assert Theme.objects.get(pk=theme.pk).name_fr
