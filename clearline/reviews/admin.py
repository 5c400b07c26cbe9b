from clearline.reviews.actions import admin as actions_admin

__all__ = ["actions_admin"]
