#!/usr/bin/python3
"""make_cursor_png.py OUTPUT - write data/cursor32.png of the root_presenter
package: a 32x32 RGBA arrow cursor, a real PNG (signature, IHDR, IDAT, IEND),
byte-identical on every run (fixed zlib level, no timestamps)."""
import struct
import sys
import zlib


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def arrow(x, y):
    """Opaque white inside an arrow with a black outline, transparent elsewhere."""
    if y < 20 and x <= y // 2 + y // 4 and x <= 20:
        edge = x == 0 or x == y // 2 + y // 4 or y == 19
        return (0, 0, 0, 255) if edge else (255, 255, 255, 255)
    return (0, 0, 0, 0)


def main():
    rows = b""
    for y in range(32):
        rows += b"\x00" + b"".join(bytes(arrow(x, y)) for x in range(32))
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows, 9))
    png += chunk(b"IEND", b"")
    with open(sys.argv[1], "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
