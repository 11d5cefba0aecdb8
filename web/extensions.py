"""Every Flask extension, created once here and initialised in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from .api.base import NetmapApi

login_manager = LoginManager()
csrf = CSRFProtect()
api = NetmapApi()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
