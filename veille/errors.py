"""Plain-word messages for fetch outcomes (shown on the sources and health pages)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invalid_url": _("Adresse du flux invalide"),
    "forbidden_scheme": _("Protocole refusé : seuls http et https sont acceptés"),
    "forbidden_port": _("Port refusé : seuls 80 et 443 sont acceptés"),
    "forbidden_address": _("Adresse interne refusée"),
    "dns": _("Nom de domaine introuvable"),
    "connect": _("Connexion au serveur impossible"),
    "tls": _("Certificat du site invalide (TLS)"),
    "timeout": _("Le serveur n'a pas répondu à temps"),
    "protocol": _("Réponse HTTP invalide"),
    "too_many_redirects": _("Trop de redirections"),
    "too_large": _("Réponse trop volumineuse (plus de 5 Mo)"),
    "rate_limited": _("Le serveur demande de patienter (trop de requêtes)"),
    "not_a_feed": _("Pas un flux RSS/Atom"),
    "malformed": _("Flux illisible (XML mal formé)"),
    "truncated": _("Flux tronqué (document incomplet)"),
    "entity_forbidden": _("Flux refusé : il déclare des entités XML (risque d'attaque)"),
    "encoding": _("Encodage des caractères inconnu"),
    "internal": _("Erreur interne pendant l'enregistrement des articles"),
}


def error_message(code: str, status: int | None = None) -> str:
    """The plain-word message for an error code (with the HTTP status when relevant)."""
    if not code:
        return ""
    if code == "http_error":
        return str(_("Le serveur a répondu %(status)s")) % {"status": status or "?"}
    return str(MESSAGES.get(code, _("Erreur inconnue")))
