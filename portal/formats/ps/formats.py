# Pashto as written in Afghanistan: the same forms as Dari (Gregorian months with their Afghan
# names from the message catalog: جنوري، فبروري …; Western digits, docs/languages.md).
from portal.formats.fa.formats import *  # noqa: F403
