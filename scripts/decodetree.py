#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a C instruction decoder from a decodetree description.

The input format is QEMU's decodetree language (docs/devel/decodetree.rst in
QEMU), so that instruction encodings are written once, declaratively:

  %name   pos:len pos:slen ... [!function=fn]      a field (parts concatenated,
                                                  most significant first; a part
                                                  may also be `other:len`, the low
                                                  bits of another field's value)
  &name   arg arg:type ... [!extern]              an argument set (a C struct)
  @name   bits fields %refs x=%ref &set const=N    a format (shared layout)
  insn    bits fields %refs &set @fmt const=N      a pattern: calls trans_insn()
  { ... }                                         an overlap group: members tried
                                                  in order until a trans_ accepts
  [ ... ]                                         a group whose members may not
                                                  overlap

Bit strings use 0, 1, '.' (a field covers it) and '-' (ignored by the CPU).
Outside overlap groups, patterns must not overlap; that is checked here.

The output is one C file meant to be #included by the translator.  It
defines the argument structs, declares `static bool trans_<insn>(DisasContext
*ctx, arg_<insn> *a)` for every pattern (the translator defines them), and
defines the decoder, `[static] bool <name>(DisasContext *ctx, uint32_t insn)`,
which returns false when no pattern accepted the instruction.

With --test-stubs it also defines every trans_ function as a stub that
reports the pattern name and its decoded fields to a function the includer
provides:
  static bool decode_stub_record(DisasContext *ctx, const char *name,
                                 const DecodeStubField *fields, int n);
which is how decoder tables are unit-tested without a translator.

Python 3 standard library only.
"""
import argparse
import re
import sys

input_file = '<input>'


class DecodeError(Exception):
    pass


def error(lineno, msg):
    raise DecodeError(f'{input_file}:{lineno}: error: {msg}')


def is_ident(s):
    return re.fullmatch(r'[a-zA-Z_][a-zA-Z0-9_]*', s) is not None


def parse_int(lineno, s):
    try:
        return int(s, 0)
    except ValueError:
        error(lineno, f'invalid number "{s}"')


# ---------------------------------------------------------------- fields

class FieldPart:
    """One piece of a field: bits of the instruction, or of another field."""

    def __init__(self, pos, length, signed, ref=None):
        self.pos = pos          # bit position in the insn (None for a ref)
        self.len = length
        self.signed = signed
        self.ref = ref          # name of another argument, or None

    def mask(self):
        if self.ref is not None:
            return 0
        return ((1 << self.len) - 1) << self.pos

    def expr(self, acc):
        if self.ref is not None:
            src = f'(uint32_t){acc}{self.ref}'
            pos = 0
        else:
            src = 'insn'
            pos = self.pos
        fn = 'decodetree_sextract32' if self.signed else 'decodetree_extract32'
        return f'{fn}({src}, {pos}, {self.len})'


class Field:
    def __init__(self, name, parts, func, lineno):
        self.name = name        # None for an inline field of a format/pattern
        self.parts = parts
        self.func = func
        self.lineno = lineno

    def mask(self):
        m = 0
        for p in self.parts:
            m |= p.mask()
        return m

    def refs(self):
        return {p.ref for p in self.parts if p.ref is not None}

    def expr(self, acc='a->'):
        """The C expression of the field; `acc` reaches the other arguments."""
        if not self.parts:
            value = '0'
        elif len(self.parts) == 1:
            value = self.parts[0].expr(acc)
        else:
            # Concatenate in unsigned arithmetic (a shift of a negative value
            # is undefined in C); the conversion back to int keeps the sign.
            terms = []
            shift = sum(p.len for p in self.parts)
            for p in self.parts:
                shift -= p.len
                t = f'(uint32_t){p.expr(acc)}'
                terms.append(f'({t} << {shift})' if shift else t)
            value = '(int)(' + ' | '.join(terms) + ')'
        if self.func:
            return f'{self.func}(ctx, {value})'
        return value


def parse_field_part(lineno, tok):
    m = re.fullmatch(r'([0-9]+|[a-zA-Z_][a-zA-Z0-9_]*):(s?)([0-9]+)', tok)
    if not m:
        error(lineno, f'invalid field part "{tok}"')
    where, sign, length = m.group(1), m.group(2) == 's', int(m.group(3))
    if length == 0:
        error(lineno, f'field part "{tok}" has zero length')
    if where[0].isdigit():
        pos = int(where)
        if pos + length > 32:
            error(lineno, f'field part "{tok}" does not fit in 32 bits')
        return FieldPart(pos, length, sign)
    return FieldPart(None, length, sign, ref=where)


# ---------------------------------------------------------------- arg sets

class ArgSet:
    def __init__(self, name, members, extern, lineno, implicit=False):
        self.name = name
        self.members = members  # list of (name, ctype)
        self.extern = extern
        self.lineno = lineno
        self.implicit = implicit

    def names(self):
        return [m[0] for m in self.members]


# ---------------------------------------------------------------- formats / patterns

class General:
    """What formats and patterns share: bits, fields, constants, arg set."""

    def __init__(self, name, lineno):
        self.name = name
        self.lineno = lineno
        self.fixedbits = 0
        self.fixedmask = 0
        self.undefmask = 0
        self.has_bits = False
        self.fields = {}        # arg name -> Field
        self.consts = {}        # arg name -> int
        self.argset = None
        self.fmt = None


class Pattern(General):
    def overlaps(self, other):
        m = self.fixedmask & other.fixedmask
        return ((self.fixedbits ^ other.fixedbits) & m) == 0


class Group:
    def __init__(self, overlap, lineno):
        self.overlap = overlap  # True: {...} members tried in order
        self.items = []
        self.lineno = lineno
        self.fixedbits = 0
        self.fixedmask = 0
        self.name = '{' if overlap else '['

    def finish(self):
        if not self.items:
            error(self.lineno, 'empty group')
        m = -1
        for it in self.items:
            m &= it.fixedmask
        # Keep only the bits on which every member agrees.
        b = self.items[0].fixedbits & m
        for it in self.items[1:]:
            m &= ~(it.fixedbits ^ b)
        self.fixedmask = m & ((1 << 32) - 1)
        self.fixedbits = b & self.fixedmask

    def overlaps(self, other):
        m = self.fixedmask & other.fixedmask
        return ((self.fixedbits ^ other.fixedbits) & m) == 0


class Decoder:
    def __init__(self, width):
        self.width = width
        self.insnmask = (1 << width) - 1
        self.fields = {}
        self.argsets = {}
        self.formats = {}
        self.patterns = []      # every pattern, in file order
        self.root = Group(False, 0)
        self.stack = [self.root]

    # -- parsing ------------------------------------------------------

    def parse_file(self, text):
        lines = text.split('\n')
        i = 0
        while i < len(lines):
            lineno = i + 1
            line = lines[i]
            i += 1
            # Continuation lines.
            while line.rstrip().endswith('\\') and i < len(lines):
                line = line.rstrip()[:-1] + ' ' + lines[i]
                i += 1
            line = line.split('#', 1)[0]
            toks = line.split()
            if not toks:
                continue
            self.parse_line(lineno, toks)
        if len(self.stack) != 1:
            error(self.stack[-1].lineno, 'group not closed')

    def parse_line(self, lineno, toks):
        head = toks[0]
        if head in ('{', '['):
            if len(toks) > 1:
                error(lineno, 'extra tokens after open brace')
            self.stack.append(Group(head == '{', lineno))
            return
        if head in ('}', ']'):
            if len(toks) > 1:
                error(lineno, 'extra tokens after close brace')
            if len(self.stack) == 1:
                error(lineno, 'close brace without an open one')
            g = self.stack.pop()
            if g.overlap != (head == '}'):
                error(lineno, 'mismatched group close')
            g.finish()
            self.stack[-1].items.append(g)
            return
        if head[0] == '%':
            self.parse_field(lineno, head[1:], toks[1:])
        elif head[0] == '&':
            self.parse_argset(lineno, head[1:], toks[1:])
        elif head[0] == '@':
            self.parse_general(lineno, head[1:], toks[1:], is_format=True)
        else:
            self.parse_general(lineno, head, toks[1:], is_format=False)

    def parse_field(self, lineno, name, toks):
        if not is_ident(name):
            error(lineno, f'invalid field name "{name}"')
        if name in self.fields:
            error(lineno, f'duplicate field "{name}"')
        parts = []
        func = None
        for t in toks:
            if t.startswith('!function='):
                func = t[len('!function='):]
                if not is_ident(func):
                    error(lineno, f'invalid function name "{func}"')
            else:
                parts.append(parse_field_part(lineno, t))
        if not parts and not func:
            error(lineno, f'field "{name}" has no parts')
        width = sum(p.len for p in parts)
        if width > 32:
            error(lineno, f'field "{name}" is wider than 32 bits')
        self.fields[name] = Field(name, parts, func, lineno)

    def parse_argset(self, lineno, name, toks):
        if not is_ident(name):
            error(lineno, f'invalid argument set name "{name}"')
        if name in self.argsets:
            error(lineno, f'duplicate argument set "{name}"')
        extern = False
        members = []
        for t in toks:
            if t == '!extern':
                extern = True
                continue
            m = re.fullmatch(r'([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_][a-zA-Z0-9_]*))?', t)
            if not m:
                error(lineno, f'invalid argument "{t}"')
            if m.group(1) in [x[0] for x in members]:
                error(lineno, f'duplicate argument "{m.group(1)}"')
            members.append((m.group(1), m.group(2) or 'int'))
        self.argsets[name] = ArgSet(name, members, extern, lineno)

    def parse_general(self, lineno, name, toks, is_format):
        if not is_ident(name):
            error(lineno, f'invalid name "{name}"')
        if is_format:
            if name in self.formats:
                error(lineno, f'duplicate format "{name}"')
            g = General(name, lineno)
        else:
            g = Pattern(name, lineno)
        bits = ''          # the bit string, MSB first, '.' for fields
        inline = []        # (name, signed, length, position-from-msb)
        argset_name = None
        for t in toks:
            if re.fullmatch(r'[01.\-]+', t):
                bits += t
            elif t[0] == '&':
                if argset_name is not None:
                    error(lineno, 'multiple argument sets')
                argset_name = t[1:]
                if argset_name not in self.argsets:
                    error(lineno, f'undefined argument set "{argset_name}"')
            elif t[0] == '@':
                if is_format:
                    error(lineno, 'a format cannot refer to a format')
                if g.fmt is not None:
                    error(lineno, 'multiple formats')
                if t[1:] not in self.formats:
                    error(lineno, f'undefined format "{t[1:]}"')
                g.fmt = self.formats[t[1:]]
            elif t[0] == '%':
                fname = t[1:]
                if fname not in self.fields:
                    error(lineno, f'undefined field "{fname}"')
                self.add_field(lineno, g, fname, self.fields[fname])
            elif re.fullmatch(r'[a-zA-Z_][a-zA-Z0-9_]*=%[a-zA-Z_][a-zA-Z0-9_]*', t):
                arg, fname = t.split('=%')
                if fname not in self.fields:
                    error(lineno, f'undefined field "{fname}"')
                self.add_field(lineno, g, arg, self.fields[fname])
            elif re.fullmatch(r'[a-zA-Z_][a-zA-Z0-9_]*=-?(0x[0-9a-fA-F]+|[0-9]+)', t):
                arg, val = t.split('=')
                if arg in g.consts or arg in g.fields:
                    error(lineno, f'duplicate argument "{arg}"')
                g.consts[arg] = parse_int(lineno, val)
            elif re.fullmatch(r'[a-zA-Z_][a-zA-Z0-9_]*:s?[0-9]+', t):
                fname, spec = t.split(':')
                signed = spec.startswith('s')
                length = int(spec.lstrip('s'))
                if length == 0:
                    error(lineno, f'field "{fname}" has zero length')
                inline.append((fname, signed, length, len(bits)))
                bits += '.' * length
            else:
                error(lineno, f'invalid token "{t}"')

        if bits:
            g.has_bits = True
            if len(bits) != self.width:
                error(lineno, f'{len(bits)} bits given, the instruction width is {self.width}')
            for i, c in enumerate(bits):
                bit = 1 << (self.width - 1 - i)
                if c in '01':
                    g.fixedmask |= bit
                    if c == '1':
                        g.fixedbits |= bit
                elif c == '-':
                    g.undefmask |= bit
        for fname, signed, length, start in inline:
            pos = self.width - start - length
            self.add_field(lineno, g, fname,
                           Field(None, [FieldPart(pos, length, signed)], None, lineno))

        if argset_name is not None:
            g.argset = self.argsets[argset_name]

        if is_format:
            self.finish_format(g)
            self.formats[name] = g
        else:
            self.finish_pattern(g)
            self.patterns.append(g)
            self.stack[-1].items.append(g)

    def add_field(self, lineno, g, arg, field):
        if arg in g.fields or arg in g.consts:
            error(lineno, f'duplicate argument "{arg}"')
        g.fields[arg] = field

    def implicit_argset(self, g):
        names = sorted(set(g.fields) | set(g.consts))
        return ArgSet(g.name, [(n, 'int') for n in names], False, g.lineno, implicit=True)

    def check_args(self, g):
        members = set(g.argset.names())
        for arg in list(g.fields) + list(g.consts):
            if arg not in members:
                error(g.lineno, f'"{arg}" is not in argument set "{g.argset.name}"')
        # A part may use another field's value: it must exist, and no cycles.
        for arg, f in g.fields.items():
            for r in f.refs():
                if r not in g.fields:
                    error(g.lineno, f'field "{arg}" refers to "{r}", which is not a field here')
        self.field_order(g)

    def field_order(self, g):
        """Fields in an order where every referenced field comes first."""
        done = []
        left = dict(g.fields)
        while left:
            ready = [a for a, f in left.items() if f.refs() <= set(done)]
            if not ready:
                error(g.lineno, 'fields refer to each other in a cycle')
            for a in ready:
                done.append(a)
                del left[a]
        return done

    def finish_format(self, g):
        if g.argset is None:
            g.argset = self.implicit_argset(g)
            if g.name in self.argsets:
                error(g.lineno, f'format "{g.name}" clashes with argument set "{g.name}"')
            self.argsets[g.name] = g.argset
        self.check_args(g)

    def finish_pattern(self, p):
        fmt = p.fmt
        if fmt is not None:
            if fmt.has_bits:
                if (fmt.fixedmask & p.fixedmask & (fmt.fixedbits ^ p.fixedbits)):
                    error(p.lineno, f'pattern bits conflict with format "{fmt.name}"')
                p.fixedbits |= fmt.fixedbits
                p.fixedmask |= fmt.fixedmask
                p.undefmask |= fmt.undefmask & ~p.fixedmask
            merged = dict(fmt.fields)
            for arg, f in p.fields.items():
                # The pattern may override a field of its format.
                merged[arg] = f
            merged_consts = dict(fmt.consts)
            merged_consts.update(p.consts)
            for arg in p.consts:
                merged.pop(arg, None)
            for arg in p.fields:
                merged_consts.pop(arg, None)
            p.fields, p.consts = merged, merged_consts
            if p.argset is None:
                p.argset = fmt.argset
        if p.argset is None:
            p.argset = self.implicit_argset(p)
            if p.name in self.argsets:
                existing = self.argsets[p.name]
                if not existing.implicit or existing.names() != p.argset.names():
                    error(p.lineno, f'pattern "{p.name}" clashes with argument set "{p.name}"')
                p.argset = existing
            else:
                self.argsets[p.name] = p.argset
        if not p.has_bits and (fmt is None or not fmt.has_bits):
            error(p.lineno, f'pattern "{p.name}" has no bits')
        covered = p.fixedmask | p.undefmask
        for f in p.fields.values():
            covered |= f.mask()
        missing = self.insnmask & ~covered
        if missing:
            error(p.lineno, f'pattern "{p.name}" leaves bits 0x{missing:x} unspecified')
        self.check_args(p)

    # -- checks -------------------------------------------------------

    def check_overlaps(self, group):
        for it in group.items:
            if isinstance(it, Group):
                self.check_overlaps(it)
        if group.overlap:
            return
        items = group.items
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                a, b = items[i], items[j]
                if a.overlaps(b):
                    error(b.lineno, f'"{b.name}" overlaps "{a.name}" (line {a.lineno}); '
                          'put them in a {} group if that is intended')

    # -- output -------------------------------------------------------

    def output(self, out, decode_name, static, stubs, sources):
        w = out.write
        w(f'/* Generated by scripts/decodetree.py from {", ".join(sources)}: do not edit. */\n\n')
        w('#ifndef DECODETREE_COMMON\n#define DECODETREE_COMMON\n')
        w('static inline uint32_t decodetree_extract32(uint32_t v, int pos, int len)\n'
          '{\n    return (v >> pos) & (0xffffffffu >> (32 - len));\n}\n\n')
        w('static inline int32_t decodetree_sextract32(uint32_t v, int pos, int len)\n'
          '{\n    uint32_t x = (v << (32 - len - pos)) >> (32 - len);\n'
          '    uint32_t sign = 1u << (len - 1);\n'
          '    return (int32_t)((x ^ sign) - sign);\n}\n')
        w('#endif\n\n')

        used_sets = []
        for p in self.patterns:
            if p.argset not in used_sets:
                used_sets.append(p.argset)
        for a in self.argsets.values():
            if a.extern or (a.implicit and a not in used_sets):
                continue
            self.output_argset(w, a)

        typed = {}
        for p in self.patterns:
            if p.name in typed:
                if typed[p.name] is not p.argset:
                    raise DecodeError(f'{input_file}:{p.lineno}: error: pattern "{p.name}" '
                                      f'is used with two argument sets')
                continue
            typed[p.name] = p.argset
            if p.argset.name != p.name:
                w(f'typedef arg_{p.argset.name} arg_{p.name};\n')
        w('\n')
        declared = set()
        for p in self.patterns:
            if p.name in declared:
                continue
            declared.add(p.name)
            w(f'static bool trans_{p.name}(DisasContext *ctx, arg_{p.name} *a);\n')
        w('\n')

        if stubs:
            self.output_stubs(w)

        used_fmts = []
        for p in self.patterns:
            if p.fmt is not None and p.fmt not in used_fmts:
                used_fmts.append(p.fmt)
        for f in used_fmts:
            w(f'static void {decode_name}_extract_{f.name}(DisasContext *ctx, '
              f'arg_{f.argset.name} *a, uint32_t insn)\n{{\n')
            self.output_extract(w, f, '    ')
            w('}\n\n')

        storage = 'static ' if static else ''
        if not static:
            # A prototype, for -Wmissing-prototypes.
            w(f'bool {decode_name}(DisasContext *ctx, uint32_t insn);\n\n')
        w(f'{storage}bool {decode_name}(DisasContext *ctx, uint32_t insn)\n{{\n')
        if used_sets:
            w('    union {\n')
            for a in used_sets:
                w(f'        arg_{a.name} f_{a.name};\n')
            w('    } u;\n\n')
        self.decode_name = decode_name
        self.output_nooverlap(w, self.root.items, 0, '    ')
        w('    return false;\n}\n')

    def output_argset(self, w, a):
        if a.members:
            w('typedef struct {\n')
            for n, t in a.members:
                w(f'    {t} {n};\n')
            w(f'}} arg_{a.name};\n\n')
        else:
            w(f'typedef struct {{\n}} arg_{a.name};\n\n')

    def output_extract(self, w, g, ind):
        for arg in self.field_order(g):
            w(f'{ind}a->{arg} = {g.fields[arg].expr()};\n')
        for arg, val in g.consts.items():
            w(f'{ind}a->{arg} = {val};\n')

    def output_stubs(self, w):
        w('#ifndef DECODETREE_STUB_FIELD\n#define DECODETREE_STUB_FIELD\n'
          'typedef struct DecodeStubField {\n    const char *name;\n    int64_t value;\n'
          '} DecodeStubField;\n\n'
          'static bool decode_stub_record(DisasContext *ctx, const char *name,\n'
          '                               const DecodeStubField *fields, int n);\n'
          '#endif\n\n')
        done = set()
        for p in self.patterns:
            if p.name in done:
                continue
            done.add(p.name)
            guard = f'DECODETREE_STUB_{p.name}'
            w(f'#ifndef {guard}\n#define {guard}\n')
            w(f'static bool trans_{p.name}(DisasContext *ctx, arg_{p.name} *a)\n{{\n')
            names = p.argset.names()
            if names:
                w('    const DecodeStubField f[] = {\n')
                for n in names:
                    w(f'        {{"{n}", (int64_t)a->{n}}},\n')
                w('    };\n')
                w(f'    return decode_stub_record(ctx, "{p.name}", f, {len(names)});\n')
            else:
                w('    (void)a;\n')
                w(f'    return decode_stub_record(ctx, "{p.name}", '
                  '(const DecodeStubField *)0, 0);\n')
            w('}\n#endif\n\n')

    def output_pattern(self, w, p, tested, ind):
        m = p.fixedmask & ~tested
        if m:
            w(f'{ind}if ((insn & 0x{m:08x}u) == 0x{p.fixedbits & m:08x}u) {{\n')
            ind2 = ind + '    '
        else:
            ind2 = ind
        w(f'{ind2}/* {p.name}, line {p.lineno} */\n')
        if p.fmt is not None:
            w(f'{ind2}{self.decode_name}_extract_{p.fmt.name}(ctx, &u.f_{p.argset.name}, insn);\n')
            own = {a: f for a, f in p.fields.items() if p.fmt.fields.get(a) is not f}
            own_consts = {a: v for a, v in p.consts.items()
                          if a not in p.fmt.consts or p.fmt.consts[a] != v}
        else:
            own, own_consts = p.fields, p.consts
        # Fields of the pattern may refer to fields set by the format.
        order = []
        left = dict(own)
        while left:
            ready = [a for a, f in left.items() if not (f.refs() & set(left))]
            for a in ready:
                order.append(a)
                del left[a]
        for a in order:
            w(f'{ind2}u.f_{p.argset.name}.{a} = {own[a].expr(f"u.f_{p.argset.name}.")};\n')
        for a, v in own_consts.items():
            w(f'{ind2}u.f_{p.argset.name}.{a} = {v};\n')
        w(f'{ind2}if (trans_{p.name}(ctx, &u.f_{p.argset.name})) {{\n')
        w(f'{ind2}    return true;\n{ind2}}}\n')
        if m:
            w(f'{ind}}}\n')

    def output_item(self, w, it, tested, ind):
        if isinstance(it, Pattern):
            self.output_pattern(w, it, tested, ind)
        elif it.overlap:
            m = it.fixedmask & ~tested
            if m:
                w(f'{ind}if ((insn & 0x{m:08x}u) == 0x{it.fixedbits & m:08x}u) {{\n')
                ind2 = ind + '    '
            else:
                ind2 = ind
            for sub in it.items:
                self.output_item(w, sub, tested | m, ind2)
            if m:
                w(f'{ind}}}\n')
        else:
            self.output_nooverlap(w, it.items, tested, ind)

    def output_nooverlap(self, w, items, tested, ind):
        """Members are mutually exclusive: switch on the bits they all fix."""
        if len(items) == 1:
            self.output_item(w, items[0], tested, ind)
            return
        common = self.insnmask & ~tested
        for it in items:
            common &= it.fixedmask
        if common == 0:
            # No bit is fixed by all of them: test each in turn (at most one matches).
            for it in items:
                self.output_item(w, it, tested, ind)
            return
        cases = {}
        for it in items:
            cases.setdefault(it.fixedbits & common, []).append(it)
        w(f'{ind}switch (insn & 0x{common:08x}u) {{\n')
        for val in sorted(cases):
            w(f'{ind}case 0x{val:08x}u:\n')
            self.output_nooverlap(w, cases[val], tested | common, ind + '    ')
            w(f'{ind}    break;\n')
        w(f'{ind}default:\n{ind}    break;\n{ind}}}\n')


def main(argv=None):
    global input_file
    ap = argparse.ArgumentParser(description='Generate a C decoder from decodetree files.')
    ap.add_argument('inputs', nargs='+', help='.decode files (read in order)')
    ap.add_argument('-o', '--output', help='output C file (default: stdout)')
    g = ap.add_mutually_exclusive_group()
    g.add_argument('--decode', help='name of the (global) decode function')
    g.add_argument('--static-decode', help='name of the static decode function')
    ap.add_argument('--insnwidth', type=int, default=32, choices=[8, 16, 24, 32],
                    help='instruction width in bits (default 32)')
    ap.add_argument('--test-stubs', action='store_true',
                    help='also define every trans_ function as a recording stub')
    args = ap.parse_args(argv)

    name = args.static_decode or args.decode or 'decode'
    dec = Decoder(args.insnwidth)
    try:
        for path in args.inputs:
            input_file = path
            with open(path, encoding='utf-8') as f:
                dec.parse_file(f.read())
        dec.root.lineno = 0
        dec.check_overlaps(dec.root)
    except DecodeError as e:
        print(e, file=sys.stderr)
        return 1
    except OSError as e:
        print(f'decodetree.py: {e}', file=sys.stderr)
        return 1

    import io
    buf = io.StringIO()
    dec.output(buf, name, args.decode is None, args.test_stubs, args.inputs)
    if args.output:
        with open(args.output, 'w', encoding='utf-8') as f:
            f.write(buf.getvalue())
    else:
        sys.stdout.write(buf.getvalue())
    return 0


if __name__ == '__main__':
    sys.exit(main())
