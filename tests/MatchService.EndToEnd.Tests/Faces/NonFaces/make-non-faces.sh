#!/usr/bin/env bash
# Writes the labelled non-face set (every image here holds NO human face) as JPEGs next to this script. Manual, never
# run by CI: the JPEGs are committed. Needs ImageMagick (apt-get install imagemagick) and the data images of Debian's
# python3-skimage, unpacked without installing it (apt-get download python3-skimage; dpkg -x).
#   bash tests/MatchService.EndToEnd.Tests/Faces/NonFaces/make-non-faces.sh
# Sources and licences: LICENSES.md beside this script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download python3-skimage >/dev/null && dpkg -x python3-skimage_*.deb x)
sk="$(echo "$tmp"/x/usr/lib/python3/dist-packages/skimage/data)"
jpeg() { convert "$1" -strip -resize '512x512>' -quality 85 "$here/$2"; }

# Photos of animals, objects and scenes (scikit-image's sample data: CC0 or public domain).
jpeg "$sk/chelsea.png"              animal-cat.jpg
convert "$sk/chelsea.png" -crop 200x200+130+20 +repage "$tmp/cat-head.png"; jpeg "$tmp/cat-head.png" animal-cat-head.jpg
convert "$sk/chelsea.png" -flop "$tmp/cat-flop.png"; jpeg "$tmp/cat-flop.png" animal-cat-mirrored.jpg
jpeg "$sk/horse.png"                animal-horse-silhouette.jpg
jpeg "$sk/coffee.png"               object-coffee.jpg
jpeg "$sk/rocket.jpg"               object-rocket.jpg
jpeg "$sk/coins.png"                object-coins.jpg
jpeg "$sk/clock_motion.png"         object-clock-blurred.jpg
jpeg "$sk/motorcycle_left.png"      object-motorcycle.jpg
jpeg "$sk/color.png"                object-colour-chart.jpg
jpeg "$sk/hubble_deep_field.jpg"    scene-hubble-deep-field.jpg
jpeg "$sk/moon.png"                 scene-moon.jpg
jpeg "$sk/retina.jpg"               scene-retina.jpg
jpeg "$sk/ihc.png"                  scene-microscopy.jpg
jpeg "$sk/page.png"                 text-page.jpg
jpeg "$sk/text.png"                 text-signs.jpg
jpeg "$sk/logo.png"                 drawing-skimage-logo.jpg
# Textures.
jpeg "$sk/brick.png"                texture-brick.jpg
jpeg "$sk/grass.png"                texture-grass.jpg
jpeg "$sk/gravel.png"               texture-gravel.jpg
# ImageMagick's built-in images (drawings and a photo of a rose) and generated patterns.
convert rose: -resize 400% "$tmp/rose.png"; jpeg "$tmp/rose.png" object-rose.jpg
jpeg logo:                          drawing-imagemagick-logo.jpg
jpeg wizard:                        drawing-wizard.jpg
jpeg netscape:                      drawing-netscape-palette.jpg
convert granite: -resize 400% "$tmp/granite.png"; jpeg "$tmp/granite.png" texture-granite.jpg
convert -size 512x384 -seed 7 plasma:fractal "$tmp/plasma1.png"; jpeg "$tmp/plasma1.png" texture-plasma-fractal.jpg
convert -size 512x512 -seed 11 plasma:tomato-steelblue "$tmp/plasma2.png"; jpeg "$tmp/plasma2.png" texture-plasma-tomato.jpg
convert -size 512x512 pattern:checkerboard -scale 800% -crop 512x512+0+0 +repage "$tmp/checker.png"; jpeg "$tmp/checker.png" texture-checkerboard.jpg
convert -size 512x512 -seed 3 xc: +noise Random -blur 0x3 "$tmp/noise.png"; jpeg "$tmp/noise.png" texture-blurred-noise.jpg
convert -size 384x512 gradient:wheat-sienna "$tmp/gradient.png"; jpeg "$tmp/gradient.png" texture-gradient.jpg
# A face-like drawing of shapes (two dots and a line in an oval): a smiley is not a human face.
convert -size 400x400 xc:white -fill '#f0c8a0' -stroke black -strokewidth 4 -draw 'ellipse 200,200 140,180 0,360' \
  -fill black -draw 'circle 150,160 150,175' -draw 'circle 250,160 250,175' -fill none -draw 'arc 130,230 270,310 20,160' \
  "$tmp/smiley.png"; jpeg "$tmp/smiley.png" drawing-smiley.jpg
ls "$here"/*.jpg | wc -l
