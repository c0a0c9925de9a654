"""capsim.zx — Zircon's constants by name, with the values the C headers
define (rights, object types, statuses, signals, job policy, processargs
handle types, task return codes), plus helpers to print rights and types.

    from capsim import zx
    zx.ZX_RIGHT_READ | zx.ZX_RIGHT_MAP
    zx.PA_HND(zx.PA_USER0, 1)
    zx.rights_str(zx.ZX_DEFAULT_VMO_RIGHTS)   # 'DUPLICATE|TRANSFER|READ|...'

The table comes from libcapsim (generated from the headers at build time),
so it never disagrees with them.
"""
from ._ffi import ffi, lib, string

CONSTANTS = {}


def _load():
    n = lib().capsim_constant_count()
    value = ffi.new("int64_t *")
    for i in range(n):
        name = string(lib().capsim_constant(i, value))
        CONSTANTS[name] = int(value[0])
    globals().update(CONSTANTS)


_load()

_RIGHT_NAMES = sorted(((v, k[len("ZX_RIGHT_"):]) for k, v in CONSTANTS.items()
                       if k.startswith("ZX_RIGHT_") and v and (v & (v - 1)) == 0
                       and k != "ZX_RIGHT_SAME_RIGHTS"))
_TYPE_NAMES = {v: k[len("ZX_OBJ_TYPE_"):].lower() for k, v in CONSTANTS.items()
               if k.startswith("ZX_OBJ_TYPE_") and k != "ZX_OBJ_TYPE_UPPER_BOUND"}


def PA_HND(kind, arg=0):
    """A processargs handle id: PA_HND(PA_USER0, 2)."""
    return (kind & 0xFF) | ((arg & 0xFFFF) << 16)


def rights_str(rights):
    """'READ|WRITE|...' for a rights mask ('NONE' for 0)."""
    if rights == CONSTANTS.get("ZX_RIGHT_SAME_RIGHTS"):
        return "SAME_RIGHTS"
    names = [n for v, n in _RIGHT_NAMES if rights & v]
    return "|".join(names) if names else "NONE"


def rights(spec):
    """A rights mask from an int, 'same', a name ('READ', 'ZX_RIGHT_READ'),
    a '|'-joined string of names, or a list of names."""
    if spec is None or spec == "same":
        return CONSTANTS["ZX_RIGHT_SAME_RIGHTS"]
    if isinstance(spec, int):
        return spec
    if isinstance(spec, str):
        spec = [s for s in spec.replace(",", "|").split("|") if s.strip()]
    mask = 0
    for name in spec:
        name = name.strip().upper()
        for key in (name, "ZX_RIGHT_" + name, "ZX_RIGHTS_" + name,
                    "ZX_DEFAULT_" + name + "_RIGHTS"):
            if key in CONSTANTS:
                mask |= CONSTANTS[key]
                break
        else:
            raise ValueError("unknown right %r (names as in ZX_RIGHT_READ: READ, WRITE, ...)"
                             % name)
    return mask


def type_name(obj_type):
    """'vmo', 'channel'... for a ZX_OBJ_TYPE_* value."""
    return _TYPE_NAMES.get(obj_type, "type%d" % obj_type)


def constant(name):
    """The value of a constant by name, with or without the ZX_ prefix."""
    for key in (name, "ZX_" + name):
        if key in CONSTANTS:
            return CONSTANTS[key]
    raise KeyError("no Zircon constant named %r" % name)
