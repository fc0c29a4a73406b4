#!/bin/sh
# Make an openly licensed CJK font available to matplotlib (run by `make all` and `make test`).
# Figures need a font with Chinese glyphs, or Chinese labels are drawn as boxes. We use WenQuanYi
# Micro Hei (Apache-2.0 / GPLv3 with font exception): Debian/Ubuntu fonts-wqy-microhei, Fedora
# wqy-microhei-fonts, Arch wqy-microhei. macOS and Windows ship CJK system fonts (PingFang SC,
# Microsoft YaHei) that govreports.figures finds by itself. Set GOVREPORTS_CJK_FONT to a font file to
# use another font. Never fails the build: without a font, the plot functions raise an error that
# says what to install.
if [ -n "$GOVREPORTS_CJK_FONT" ] && [ -f "$GOVREPORTS_CJK_FONT" ]; then
    exit 0
fi
if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; then
    exit 0
fi
for f in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/wqy-microhei/wqy-microhei.ttc \
         /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc; do
    [ -f "$f" ] && exit 0
done
case "$(uname -s)" in
    Darwin|MINGW*|MSYS*|CYGWIN*) exit 0 ;;
esac
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
if command -v apt-get >/dev/null 2>&1; then
    echo "Installing the CJK font fonts-wqy-microhei (needed for Chinese labels in figures) ..."
    if $SUDO apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1 || \
       { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1; }; then
        exit 0
    fi
elif command -v dnf >/dev/null 2>&1; then
    echo "Installing the CJK font wqy-microhei-fonts (needed for Chinese labels in figures) ..."
    $SUDO dnf install -y -q wqy-microhei-fonts >/dev/null 2>&1 && exit 0
elif command -v pacman >/dev/null 2>&1; then
    echo "Installing the CJK font wqy-microhei (needed for Chinese labels in figures) ..."
    $SUDO pacman -S --noconfirm --needed wqy-microhei >/dev/null 2>&1 && exit 0
fi
echo "WARNING: no CJK font found and none could be installed. Chinese labels in figures need one:" >&2
echo "         install fonts-wqy-microhei (Debian/Ubuntu), wqy-microhei-fonts (Fedora)," >&2
echo "         wqy-microhei (Arch) or any Noto Sans CJK SC font, or set GOVREPORTS_CJK_FONT." >&2
exit 0
