#!/usr/bin/env python3
"""Generated lab cases: disk images plus case files whose expected values are
computed here, on the host, from the same images.

  gen.py --lab LABDIR --out OUTDIR TEMPLATE.case.in...

For each template, writes OUTDIR/<name>.case (the template's file name without
".in"). A template is a case file (tests/lab/README.md) with two additions:

  image NAME RECIPE [ARGS]   the template uses image NAME: OUTDIR/NAME.img is a
                             fresh copy of it (cases may write to it), made
                             once per gen.py run however many templates name it
  @EXPR@                     replaced by the value of the Python expression EXPR

Recipes (built once and kept in LABDIR/images/, rebuilt when their generator
or arguments change):
  pattern MIB    MIB MiB of a fixed pseudo-random pattern (blk/mkdisk.py)
  fsdisk         GPT disk, FAT ESP + ext4 root (fs/mkfsdisk.sh); its
                 fsdisk.env values are NAME.KEY (strings), e.g. fs.BIG_CRC
  bootdisk LAYOUT  a guest boot disk with Debian's kernel, an initrd and the
                 boot configuration Debian writes (boot/mkbootdisk.sh: gpt,
                 mbr, scr, menu, and the UEFI disks efi-grub, efi-sdboot,
                 efi-stub); rebuilt also when the lab is rebuilt; its
                 values, e.g. boot.KVER, boot.APPEND_L0, boot.KERNEL_SIZE

Names usable in EXPR:
  img(NAME)              absolute path of OUTDIR/NAME.img
  crc32(NAME, OFF, LEN)  CRC-32 (as `crc32` prints it) of LEN bytes at byte OFF
                         of the image as generated (before any case wrote to it)
  md5(NAME, OFF, LEN)    the same as an md5 hex digest
  md5str(TEXT)           md5 hex digest of a string
  crc32str(TEXT)         CRC-32 of a string
  hexs(N)                N (int or decimal string) as lower-case hex, no 0x
  ere(TEXT)              TEXT as a POSIX ERE matching it literally
  file(NAME, TEXT)       writes TEXT to OUTDIR/NAME and gives its absolute
                         path (e.g. a pxelinux.cfg file for a serve line)
  lab                    absolute path of LABDIR (e.g. @lab@/Image)
  NAME                   an image's env values: NAME.KEY
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import types
import re
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "blk"))
import mkdisk  # noqa: E402

RECIPES = {
    "pattern": [os.path.join(HERE, "blk", "mkdisk.py")],
    "fsdisk": [os.path.join(HERE, "fs", "mkfsdisk.sh")],
    "bootdisk": [os.path.join(HERE, "boot", "mkbootdisk.sh")],
}


def die(msg):
    sys.exit("gen.py: " + msg)


class Images:
    def __init__(self, lab, out):
        self.lab = os.path.abspath(lab)
        self.cache = os.path.join(lab, "images")
        self.out = out
        self.made = {}  # name -> (recipe key, pristine path, env namespace)
        os.makedirs(self.cache, exist_ok=True)

    def key(self, recipe, args):
        h = hashlib.sha256(repr((recipe, args)).encode())
        deps = list(RECIPES[recipe])
        if recipe == "bootdisk":  # the kernel and initrd it copies
            deps.append(os.path.join(self.lab, "build.key"))
        for f in deps:
            with open(f, "rb") as fh:
                h.update(fh.read())
        return h.hexdigest()[:16]

    def build(self, recipe, args, key):
        """Returns (image path, env dict) in the cache, building if needed."""
        stem = "-".join([recipe] + args) + "-"
        base = os.path.join(self.cache, stem + key)
        img, env = base + ".img", base + ".env"
        if not os.path.exists(img):
            # Old versions of this recipe with these arguments go.
            for f in os.listdir(self.cache):
                if f.startswith(stem):
                    os.remove(os.path.join(self.cache, f))
            tmp = tempfile.mkdtemp(dir=self.cache)
            try:
                if recipe == "pattern":
                    if len(args) != 1:
                        die("pattern wants MIB")
                    mkdisk.make(os.path.join(tmp, "x.img"), int(args[0], 0))
                    open(os.path.join(tmp, "x.env"), "w").close()
                    os.rename(os.path.join(tmp, "x.img"), img)
                elif recipe == "fsdisk":
                    subprocess.run([RECIPES[recipe][0], tmp], check=True,
                                   stdout=subprocess.DEVNULL)
                    os.rename(os.path.join(tmp, "fsdisk.img"), img)
                    shutil.copyfile(os.path.join(tmp, "fsdisk.env"), env + ".tmp")
                    os.rename(env + ".tmp", env)
                elif recipe == "bootdisk":
                    if len(args) != 1:
                        die("bootdisk wants LAYOUT")
                    subprocess.run([RECIPES[recipe][0], args[0], self.lab, tmp],
                                   check=True, stdout=subprocess.DEVNULL)
                    for f in os.listdir(tmp):  # the written configs
                        if f.startswith("bootdisk."):
                            shutil.copyfile(os.path.join(tmp, f), base + f[8:])
                    os.rename(os.path.join(tmp, "bootdisk.img"), img)
                    shutil.copyfile(os.path.join(tmp, "bootdisk.env"), env + ".tmp")
                    os.rename(env + ".tmp", env)
                if not os.path.exists(env):
                    open(env, "w").close()
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        vals = {}
        if os.path.exists(env):
            with open(env) as f:
                for line in f:
                    if "=" in line:
                        k, v = line.strip().split("=", 1)
                        vals[k] = v
        return img, vals

    def use(self, name, recipe, args):
        if recipe not in RECIPES:
            die("unknown image recipe %r" % recipe)
        key = self.key(recipe, args)
        if name in self.made:
            if self.made[name][0] != key:
                die("image %s declared twice, differently" % name)
            return
        pristine, vals = self.build(recipe, args, key)
        shutil.copyfile(pristine, self.path(name))
        self.made[name] = (key, pristine, types.SimpleNamespace(**vals))

    def path(self, name):
        return os.path.abspath(os.path.join(self.out, name + ".img"))

    def pristine(self, name):
        if name not in self.made:
            die("image %s not declared with an image line" % name)
        return self.made[name][1]


def read_range(path, off, length):
    with open(path, "rb") as f:
        f.seek(off)
        while length > 0:
            data = f.read(min(length, 1 << 20))
            if not data:
                die("range beyond the end of " + path)
            length -= len(data)
            yield data


def main(argv):
    lab = out = None
    templates = []
    i = 1
    while i < len(argv):
        if argv[i] in ("--lab", "--out") and i + 1 < len(argv):
            if argv[i] == "--lab":
                lab = argv[i + 1]
            else:
                out = argv[i + 1]
            i += 2
        elif argv[i].startswith("-"):
            sys.exit(__doc__)
        else:
            templates.append(argv[i])
            i += 1
    if not lab or not out:
        sys.exit(__doc__)
    os.makedirs(out, exist_ok=True)
    images = Images(lab, out)

    def crc32(name, off, length):
        c = 0
        for d in read_range(images.pristine(name), off, length):
            c = zlib.crc32(d, c)
        return "%08x" % c

    def md5(name, off, length):
        h = hashlib.md5()
        for d in read_range(images.pristine(name), off, length):
            h.update(d)
        return h.hexdigest()

    def write_file(name, text):
        if "/" in name or name.startswith(".") or name.endswith(".img") or name.endswith(".case"):
            die("file(%r): a plain name, not an image or a case" % name)
        path = os.path.abspath(os.path.join(out, name))
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)
        return path

    names = {
        "img": lambda n: images.pristine(n) and images.path(n),
        "file": write_file,
        "crc32": crc32,
        "md5": md5,
        "md5str": lambda s: hashlib.md5(s.encode()).hexdigest(),
        "crc32str": lambda s: "%08x" % zlib.crc32(s.encode()),
        "hexs": lambda n: "%x" % int(n),
        "ere": lambda t: "".join("[%s]" % c if c in ".[]()*+?{}|$" else "\\^" if c == "^" else
                                 "\\\\" if c == "\\" else c for c in t),
        "lab": os.path.abspath(lab),
        "int": int,
        "hex": hex,
        "len": len,
    }

    for t in templates:
        base = os.path.basename(t)
        if not base.endswith(".case.in"):
            die(t + ": not a .case.in")
        lines = []
        with open(t) as f:
            for line in f:
                w = line.split()
                if w[:1] == ["image"]:
                    if len(w) < 3:
                        die("%s: bad line %r" % (t, line))
                    images.use(w[1], w[2], w[3:])
                else:
                    lines.append(line)
        env = dict(names)
        for n, (_, _, ns) in images.made.items():
            env[n] = ns

        def sub(m):
            try:
                return str(eval(m.group(1), {"__builtins__": {}}, env))
            except SystemExit:
                raise
            except Exception as e:  # noqa: BLE001
                die("%s: @%s@: %s" % (t, m.group(1), e))

        text = re.sub(r"@([^@\n]+)@", sub, "".join(lines))
        dst = os.path.join(out, base[:-len(".in")])
        with open(dst + ".tmp", "w") as f:
            f.write("# Generated by tests/lab/gen.py from %s: do not edit.\n" % t)
            f.write(text)
        os.replace(dst + ".tmp", dst)


if __name__ == "__main__":
    main(sys.argv)
