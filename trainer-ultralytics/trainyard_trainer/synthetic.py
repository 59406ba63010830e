"""A synthetic detection dataset: coloured rectangles and ellipses on noisy backgrounds, with YOLO
labels and a data.yaml, zipped in the storage layout (datasets/{id}.zip holds data.yaml,
images/{train,val}/*.png and labels/{train,val}/*.txt at its top level).

    python -m trainyard_trainer.synthetic out/demo-shapes.zip --train 48 --val 16 --size 64
"""

import argparse
import io
import random
import zipfile

from PIL import Image, ImageDraw

CLASSES = ("red_box", "green_ellipse", "blue_box")
COLOURS = {"red_box": (220, 40, 40), "green_ellipse": (40, 190, 60), "blue_box": (40, 70, 220)}


def draw_image(rng: random.Random, size: int, max_objects: int):
    """Returns (PIL image, YOLO label lines)."""
    background = tuple(rng.randint(0, 90) for _ in range(3))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    for _ in range(size * size // 40):  # speckle noise, so the model cannot key on flat colour
        x, y = rng.randrange(size), rng.randrange(size)
        draw.point((x, y), fill=tuple(rng.randint(0, 120) for _ in range(3)))
    labels = []
    for _ in range(rng.randint(1, max_objects)):
        cls = rng.randrange(len(CLASSES))
        w = rng.randint(size // 6, size // 2)
        h = rng.randint(size // 6, size // 2)
        x0, y0 = rng.randint(0, size - w), rng.randint(0, size - h)
        box = (x0, y0, x0 + w - 1, y0 + h - 1)
        name = CLASSES[cls]
        if name.endswith("ellipse"):
            draw.ellipse(box, fill=COLOURS[name])
        else:
            draw.rectangle(box, fill=COLOURS[name])
        labels.append(
            "%d %.6f %.6f %.6f %.6f"
            % (cls, (x0 + w / 2) / size, (y0 + h / 2) / size, w / size, h / size)
        )
    return image, labels


def data_yaml() -> str:
    names = "\n".join("  %d: %s" % (i, name) for i, name in enumerate(CLASSES))
    return "train: images/train\nval: images/val\nnc: %d\nnames:\n%s\n" % (len(CLASSES), names)


def write_zip(
    path: str, train: int = 48, val: int = 16, size: int = 64, seed: int = 7, max_objects: int = 3
) -> str:
    rng = random.Random(seed)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.yaml", data_yaml())
        for split, count in (("train", train), ("val", val)):
            for index in range(count):
                image, labels = draw_image(rng, size, max_objects)
                buffer = io.BytesIO()
                image.save(buffer, format="PNG")
                stem = "%s_%04d" % (split, index)
                archive.writestr("images/%s/%s.png" % (split, stem), buffer.getvalue())
                archive.writestr("labels/%s/%s.txt" % (split, stem), "\n".join(labels) + "\n")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic YOLO detection dataset zip.")
    parser.add_argument("output", help="the .zip to write")
    parser.add_argument("--train", type=int, default=48, help="training images (default 48)")
    parser.add_argument("--val", type=int, default=16, help="validation images (default 16)")
    parser.add_argument("--size", type=int, default=64, help="image side in pixels (default 64)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    if args.train < 1 or args.val < 1 or args.size < 16:
        parser.error("need at least 1 train and 1 val image of at least 16 pixels")
    write_zip(args.output, args.train, args.val, args.size, args.seed)
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
