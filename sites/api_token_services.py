"""Creating and revoking API tokens. The pages, the admin and tests all call these."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import ApiToken
from .models.api_tokens import KEY_PREFIX_LENGTH, hash_key, new_key


def may_manage_tokens_of(actor, user) -> bool:
    """A user manages their own tokens; administrators (is_staff) manage everyone's."""
    return actor.is_active and (actor.pk == user.pk or actor.is_staff or actor.is_superuser)


@transaction.atomic
def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the plain key, which is shown once and never stored."""
    if not may_manage_tokens_of(actor, user):
        raise PermissionDenied("只能为自己创建令牌。")
    key = new_key()
    token = ApiToken(user=user, name=name.strip(), prefix=key[3 : 3 + KEY_PREFIX_LENGTH], hashed_key=hash_key(key))
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with this key is refused. Revoking twice changes nothing."""
    if not may_manage_tokens_of(actor, token.user):
        raise PermissionDenied("只能吊销自己的令牌。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
