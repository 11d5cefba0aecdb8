"""Every Flask extension, created once here and initialised in create_app."""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from .errors import NetmapApi
from .throttling import DatabaseLimiter

login_manager = LoginManager()
csrf = CSRFProtect()
api = NetmapApi()
# Rate limits counted in the shared database, one count for every worker and host (it took
# the place of Flask-Limiter's per-process memory).
limiter = DatabaseLimiter()
