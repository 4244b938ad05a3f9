/* SPDX-License-Identifier: MIT */
/*
 * common/i18n.h - message translation (gettext, in glibc's libintl).
 *
 * _("text") looks a message up in the "gongji" catalog (po/zh_CN.po,
 * compiled to gongji.mo) and returns the translation, or the text itself
 * when there is none, so English stays the default byte for byte.
 * gettext() carries format_arg(1): printf(_("%d rows"), n) is checked
 * against the English text.  N_("text") only marks a string for xgettext,
 * for tables of strings translated where they are printed.  cli/main.c binds
 * the catalog; nothing below cli/ sets the locale.
 *
 * Only the text is translated: the "FILE:LINE:COL:" prefix, the "error:" /
 * "warning:" keywords, option names, codes, CSV and JSON output stay as
 * they are in every language.
 */
#ifndef COMMON_I18N_H
#define COMMON_I18N_H

#include <libintl.h>

#define GONGJI_TEXTDOMAIN "gongji"

#define _(s)  gettext(s)
#define N_(s) s

#endif /* COMMON_I18N_H */
