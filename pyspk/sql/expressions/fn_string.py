"""String functions (upper, substring, concat, trim, pad, regexp, split, …) on Arrow kernels."""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register

S, I, L, B = T.StringType(), T.IntegerType(), T.LongType(), T.BooleanType()


def _rows(row_fn, out_type: pa.DataType):
    """Row-at-a-time fallback for calls whose pattern/length arguments are columns."""
    def k(vals, ctx, n):
        cols = [to_array(v, n).to_pylist() for v in vals]
        return pa.array([None if any(x is None for x in row) else row_fn(*row) for row in zip(*cols)],
                        out_type)
    return k


def _vec_or_rows(vec, row_fn, out_type: pa.DataType):
    """Use the vectorised kernel when every argument after the first is a constant."""
    slow = _rows(row_fn, out_type)

    def k(vals, ctx, n):
        if all(isinstance(v, pa.Scalar) for v in vals[1:]):
            return vec(vals, ctx, n)
        return slow(vals, ctx, n)
    return k


def _substring(vals, ctx, n):
    s, pos = vals[0], vals[1]
    length = vals[2] if len(vals) > 2 else pa.scalar(1 << 30, pa.int32())
    if isinstance(pos, pa.Scalar) and isinstance(length, pa.Scalar):
        p, ln = pos.as_py(), length.as_py()
        if p is None or ln is None:
            return pa.scalar(None, pa.string()) if isinstance(s, pa.Scalar) else pa.nulls(len(s), pa.string())
        if p > 0:
            start = p - 1
        elif p < 0:
            start = p
        else:
            start = 0
        if ln <= 0:
            return pc.utf8_slice_codeunits(s, 0, 0)
        if p < 0:
            stop = start + ln
            if stop >= 0:
                return pc.utf8_slice_codeunits(s, start)
            return pc.utf8_slice_codeunits(s, start, stop)
        return pc.utf8_slice_codeunits(s, start, start + ln)
    strs = to_array(s, n).to_pylist()
    ps = to_array(pos, n).to_pylist()
    ls = to_array(length, n).to_pylist()
    out = []
    for x, p, ln in zip(strs, ps, ls):
        if x is None or p is None or ln is None:
            out.append(None)
            continue
        start = p - 1 if p > 0 else (len(x) + p if p < 0 else 0)
        out.append(x[max(start, 0):max(start, 0) + max(ln - (max(start, 0) - start), 0)] if ln > 0 else "")
    return pa.array(out, pa.string())


register("substring", _substring, S, [S, I, I], 2, 3, aliases=["substr"], defaults=(2147483647,))
register("upper", lambda v, c, n: pc.utf8_upper(v[0]), S, [S], 1, 1, aliases=["ucase"])
register("lower", lambda v, c, n: pc.utf8_lower(v[0]), S, [S], 1, 1, aliases=["lcase"])
register("length", lambda v, c, n: pc.utf8_length(v[0]).cast(pa.int32())
         if not pa.types.is_binary(v[0].type) else pc.binary_length(v[0]).cast(pa.int32()),
         I, lambda ts: [None if isinstance(ts[0], T.BinaryType) else S], 1, 1,
         aliases=["char_length", "character_length", "len"])
register("trim", lambda v, c, n: pc.utf8_trim(v[0], " ") if len(v) == 1 else
         pc.utf8_trim(v[0], v[1].as_py()), S, [S, S], 1, 2, aliases=["btrim"], constants_from=1)
register("ltrim", lambda v, c, n: pc.utf8_ltrim(v[0], " ") if len(v) == 1 else
         pc.utf8_ltrim(v[0], v[1].as_py()), S, [S, S], 1, 2, constants_from=1)
register("rtrim", lambda v, c, n: pc.utf8_rtrim(v[0], " ") if len(v) == 1 else
         pc.utf8_rtrim(v[0], v[1].as_py()), S, [S, S], 1, 2, constants_from=1)
def _reverse(vals, ctx, n):
    """Reverse a string, or the elements of an array."""
    v = vals[0]
    if not pa.types.is_list(v.type):
        return pc.utf8_reverse(v)
    arr = to_array(v, n)
    out = pa.array([None if x is None else x[::-1] for x in arr.to_pylist()], arr.type)
    return out[0] if isinstance(v, pa.Scalar) else out


register("reverse", _reverse, lambda ts: ts[0] if isinstance(ts[0], T.ArrayType) else S,
         lambda ts: [None if isinstance(ts[0], T.ArrayType) else S], 1, 1)
register("initcap", lambda v, c, n: pc.utf8_title(pc.utf8_lower(v[0])), S, [S], 1, 1)


def _concat(vals, ctx, n):
    if not vals:
        return pa.scalar("", pa.string())
    if len(vals) == 1:
        return vals[0]
    if pa.types.is_list(vals[0].type):
        cols = [to_array(v, n).to_pylist() for v in vals]
        return pa.array([None if any(x is None for x in row) else [y for x in row for y in x]
                         for row in zip(*cols)], vals[0].type)
    if pa.types.is_binary(vals[0].type):
        cols = [to_array(v, n).to_pylist() for v in vals]
        return pa.array([None if any(x is None for x in row) else b"".join(row) for row in zip(*cols)],
                        pa.binary())
    return pc.binary_join_element_wise(*vals, "", null_handling="emit_null")


def _concat_type(ts):
    if ts and all(isinstance(t, T.ArrayType) for t in ts):
        return ts[0]
    if ts and all(isinstance(t, T.BinaryType) for t in ts):
        return T.BinaryType()
    return S


register("concat", _concat, _concat_type,
         lambda ts: [None if isinstance(_concat_type(ts), (T.ArrayType, T.BinaryType)) else S] * len(ts),
         0, None)


def _concat_ws(vals, ctx, n):
    sep = vals[0]
    parts = vals[1:]
    flat = []
    for p in parts:
        if pa.types.is_list(p.type):
            flat.append(pc.binary_join(p, sep))
        else:
            flat.append(p)
    if not flat:
        return pa.scalar("", pa.string())
    return pc.binary_join_element_wise(*flat, sep, null_handling="skip")


register("concat_ws", _concat_ws, S,
         lambda ts: [S] + [None if isinstance(t, T.ArrayType) else S for t in ts[1:]], 1, None)


def _pad(left: bool):
    def k(vals, ctx, n):
        s, width = vals[0], vals[1].as_py()
        pad = vals[2].as_py() if len(vals) > 2 else " "
        strs = to_array(s, n).to_pylist() if not isinstance(s, pa.Scalar) else [s.as_py()]
        out = []
        for x in strs:
            if x is None or width is None:
                out.append(None)
            elif len(x) >= width or not pad:
                out.append(x[:width] if width >= 0 else "")
            else:
                fill = (pad * width)[:width - len(x)]
                out.append(fill + x if left else x + fill)
        return pa.array(out, pa.string()) if not isinstance(s, pa.Scalar) else pa.scalar(out[0], pa.string())
    return k


register("lpad", _pad(True), S, [S, I, S], 2, 3)
register("rpad", _pad(False), S, [S, I, S], 2, 3)
register("repeat", lambda v, c, n: pc.binary_repeat(v[0], pc.max_element_wise(v[1], 0)), S, [S, I], 2, 2)
register("replace", lambda v, c, n: pc.replace_substring(v[0], v[1].as_py(), v[2].as_py() if len(v) > 2 else ""),
         S, [S, S, S], 2, 3, constants_from=1)


def _regexp_replace(vals, ctx, n):
    repl = re.sub(r"\$(\d+)", r"\\\1", vals[2].as_py())
    return pc.replace_substring_regex(vals[0], vals[1].as_py(), repl)


register("regexp_replace", _regexp_replace, S, [S, S, S, I], 3, 4, constants_from=1,
         defaults=(1,))


def _regexp_extract(vals, ctx, n):
    pat = re.compile(vals[1].as_py())
    idx = vals[2].as_py() if len(vals) > 2 else 1
    s = vals[0]
    strs = [s.as_py()] if isinstance(s, pa.Scalar) else s.to_pylist()
    out = []
    for x in strs:
        if x is None:
            out.append(None)
            continue
        m = pat.search(x)
        out.append((m.group(idx) or "") if m else "")
    return pa.array(out, pa.string()) if not isinstance(s, pa.Scalar) else pa.scalar(out[0], pa.string())


register("regexp_extract", _regexp_extract, S, [S, S, I], 2, 3, constants_from=1)
for _name in ("regexp_like", "regexp"):
    register(_name, lambda v, c, n: pc.match_substring_regex(v[0], v[1].as_py()), B, [S, S], 2, 2,
             pretty=_name.upper(), constants_from=1)


def _split(vals, ctx, n):
    limit = vals[2].as_py() if len(vals) > 2 else -1
    pat = vals[1].as_py()
    max_splits = None if limit is None or limit <= 0 else limit - 1
    if re.escape(pat) == pat or len(pat) == 1:
        return pc.split_pattern(vals[0], pat, max_splits=max_splits)
    return pc.split_pattern_regex(vals[0], pat, max_splits=max_splits)


register("split", _split, T.ArrayType(S, True), [S, S, I], 2, 3, constants_from=1)


def _instr(vals, ctx, n):
    return pc.add(pc.find_substring(vals[0], vals[1].as_py()), 1).cast(pa.int32())


register("instr", _vec_or_rows(_instr, lambda a, b: a.find(b) + 1, pa.int32()), I, [S, S], 2, 2)


def _locate(vals, ctx, n):
    sub, s = vals[0].as_py(), vals[1]
    pos = vals[2].as_py() if len(vals) > 2 else 1
    strs = [s.as_py()] if isinstance(s, pa.Scalar) else s.to_pylist()
    out = [None if x is None else (0 if pos < 1 else x.find(sub, pos - 1) + 1) for x in strs]
    return pa.array(out, pa.int32()) if not isinstance(s, pa.Scalar) else pa.scalar(out[0], pa.int32())


register("locate", lambda v, c, n: _locate(v, c, n) if isinstance(v[0], pa.Scalar) and
         all(isinstance(x, pa.Scalar) for x in v[2:]) else
         _rows(lambda sub, s, pos=1: 0 if pos < 1 else s.find(sub, pos - 1) + 1, pa.int32())(v, c, n),
         I, [S, S, I], 2, 3, aliases=["position"], defaults=(1,))
register("ascii", lambda v, c, n: pa.array([None if x is None else (ord(x[0]) if x else 0)
                                            for x in to_array(v[0], n).to_pylist()], pa.int32()),
         I, [S], 1, 1)
register("left", _vec_or_rows(lambda v, c, n: pc.utf8_slice_codeunits(v[0], 0, max(v[1].as_py(), 0)),
                              lambda a, k: a[:max(k, 0)], pa.string()), S, [S, I], 2, 2)
register("right", lambda v, c, n: pa.array([None if x is None else (x[-v[1].as_py():] if v[1].as_py() > 0 else "")
                                            for x in to_array(v[0], n).to_pylist()], pa.string()),
         S, [S, I], 2, 2, constants_from=1)
register("startswith", _vec_or_rows(lambda v, c, n: pc.starts_with(v[0], v[1].as_py()),
                                    lambda a, b: a.startswith(b), pa.bool_()), B, [S, S], 2, 2)
register("endswith", _vec_or_rows(lambda v, c, n: pc.ends_with(v[0], v[1].as_py()),
                                  lambda a, b: a.endswith(b), pa.bool_()), B, [S, S], 2, 2)
register("contains", _vec_or_rows(lambda v, c, n: pc.match_substring(v[0], v[1].as_py()),
                                  lambda a, b: b in a, pa.bool_()), B, [S, S], 2, 2)


def _translate(vals, ctx, n):
    src, dst = vals[1].as_py(), vals[2].as_py()
    table = {ord(ch): (dst[i] if i < len(dst) else None) for i, ch in enumerate(src)}
    return pa.array([None if x is None else x.translate(table) for x in to_array(vals[0], n).to_pylist()],
                    pa.string())


register("translate", _translate, S, [S, S, S], 3, 3)
register("format_number", lambda v, c, n: pa.array(
    [None if x is None else f"{x:,.{v[1].as_py()}f}" for x in to_array(v[0], n).to_pylist()], pa.string()),
    S, [T.DoubleType(), I], 2, 2)
