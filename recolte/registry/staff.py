"""The one user that management commands act as when the access policy asks who is asking."""


class CommandUser:
    """Scripts run with the server's rights: the policy treats them as a superuser (they see
    every passage, like a facilitator). Not a database row: nothing is written in its name."""

    is_authenticated = True
    is_superuser = True


COMMAND_USER = CommandUser()
