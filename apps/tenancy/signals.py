"""Keep two promises that no single model method can: caches of host resolution stay
fresh, and many-to-many links never join rows of two sites."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import CrossSiteReference, Site, SiteHost, SiteOwnedModel
from .selectors import forget_site_cache


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender, instance, **kwargs):
    forget_site_cache(instance.pk, SiteHost.objects.filter(site_id=instance.pk).values_list("host", flat=True))


@receiver(pre_save, sender=SiteHost)
def _host_renamed(sender, instance, **kwargs):
    if instance.pk:
        old = SiteHost.objects.filter(pk=instance.pk).values_list("host", flat=True).first()
        if old:
            forget_site_cache(hosts=[old])


@receiver(post_save, sender=SiteHost)
@receiver(post_delete, sender=SiteHost)
def _host_changed(sender, instance, **kwargs):
    forget_site_cache(instance.site_id, [instance.host])


@receiver(m2m_changed)
def _m2m_same_site(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if not isinstance(instance, SiteOwnedModel) or not issubclass(model, SiteOwnedModel):
        return
    foreign = model._base_manager.filter(pk__in=pk_set).exclude(site_id=instance.site_id)
    if foreign.exists():
        raise CrossSiteReference(_("This choice belongs to another site."))
