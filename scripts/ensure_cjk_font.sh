#!/bin/sh
# Make an openly licensed CJK font available to matplotlib.
# Figures need a font with Chinese glyphs. We use WenQuanYi Micro Hei (Apache-2.0 / GPLv3 with font
# exception), Debian/Ubuntu package fonts-wqy-microhei. macOS and Windows ship CJK system fonts
# (PingFang SC, Microsoft YaHei) that govreports.plots finds by itself.
if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; then
    exit 0
fi
for f in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc; do
    [ -f "$f" ] && exit 0
done
case "$(uname -s)" in
    Darwin|MINGW*|MSYS*|CYGWIN*) exit 0 ;;
esac
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    echo "Installing the CJK font fonts-wqy-microhei (needed for Chinese labels in figures) ..."
    if $SUDO apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1 || \
       { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1; }; then
        exit 0
    fi
fi
echo "WARNING: no CJK font found. Chinese labels in figures need one: install fonts-wqy-microhei" >&2
echo "         (Debian/Ubuntu), wqy-microhei-fonts (Fedora) or any Noto Sans CJK SC font." >&2
exit 0
