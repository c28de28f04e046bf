;; A string's JSON, as `JSON.stringify` writes it between the quotes, encoded as UTF-8 straight
;; from the string's UTF-16 units, sixteen at a time while they are ASCII (WebAssembly SIMD):
;; `"`, `\` and the controls below 0x20 are escaped, a lone surrogate is written as `\udXXX`,
;; every other character is encoded. The compiled module is in json-escape-wasm-module.ts;
;; after a change here run `pnpm build:wasm` (a test checks that the two agree).
;;
;; Memory (8 pages, never grown): json-escape-wasm.ts puts the units at 1024 and reads the
;; output past the input's room. The output needs room for 6 bytes per unit plus 16: a block
;; of 16 bytes is stored whole before its first byte that is not plain ASCII is known.
(module
  (memory (export "memory") 8)

  ;; The digit of a hex value 0-15, lowercase as JSON.stringify writes it.
  (func $hexDigit (param $value i32) (result i32)
    (select
      (i32.add (local.get $value) (i32.const 0x30))
      (i32.add (local.get $value) (i32.const 0x57))
      (i32.lt_u (local.get $value) (i32.const 10))))

  ;; The letter of a character's short escape (`\n`, `\"`...), 0 where it has none. Newline
  ;; first: it is by far the most common escaped character in tool outputs.
  (func $shortEscape (param $unit i32) (result i32)
    (if (i32.eq (local.get $unit) (i32.const 0x0a)) (then (return (i32.const 0x6e))))
    (if (i32.eq (local.get $unit) (i32.const 0x22)) (then (return (i32.const 0x22))))
    (if (i32.eq (local.get $unit) (i32.const 0x5c)) (then (return (i32.const 0x5c))))
    (if (i32.eq (local.get $unit) (i32.const 0x09)) (then (return (i32.const 0x74))))
    (if (i32.eq (local.get $unit) (i32.const 0x0d)) (then (return (i32.const 0x72))))
    (if (i32.eq (local.get $unit) (i32.const 0x08)) (then (return (i32.const 0x62))))
    (if (i32.eq (local.get $unit) (i32.const 0x0c)) (then (return (i32.const 0x66))))
    (i32.const 0))

  ;; Writes `\uXXXX` for a unit at `$at`; returns where it ended.
  (func $writeHexEscape (param $unit i32) (param $at i32) (result i32)
    (i32.store8 (local.get $at) (i32.const 0x5c))
    (i32.store8 offset=1 (local.get $at) (i32.const 0x75))
    (i32.store8 offset=2 (local.get $at) (call $hexDigit (i32.shr_u (local.get $unit) (i32.const 12))))
    (i32.store8 offset=3 (local.get $at) (call $hexDigit (i32.and (i32.shr_u (local.get $unit) (i32.const 8)) (i32.const 15))))
    (i32.store8 offset=4 (local.get $at) (call $hexDigit (i32.and (i32.shr_u (local.get $unit) (i32.const 4)) (i32.const 15))))
    (i32.store8 offset=5 (local.get $at) (call $hexDigit (i32.and (local.get $unit) (i32.const 15))))
    (i32.add (local.get $at) (i32.const 6)))

  ;; Writes an ASCII unit at `$at`, escaped where JSON needs it; returns where it ended.
  (func $writeAscii (param $unit i32) (param $at i32) (result i32)
    (local $letter i32)
    (if (i32.and
          (i32.ge_u (local.get $unit) (i32.const 0x20))
          (i32.and (i32.ne (local.get $unit) (i32.const 0x22)) (i32.ne (local.get $unit) (i32.const 0x5c))))
      (then
        (i32.store8 (local.get $at) (local.get $unit))
        (return (i32.add (local.get $at) (i32.const 1)))))
    (local.set $letter (call $shortEscape (local.get $unit)))
    (if (i32.eqz (local.get $letter)) (then (return (call $writeHexEscape (local.get $unit) (local.get $at)))))
    (i32.store8 (local.get $at) (i32.const 0x5c))
    (i32.store8 offset=1 (local.get $at) (local.get $letter))
    (i32.add (local.get $at) (i32.const 2)))

  ;; Escapes the `$units` UTF-16 units at `$src` into memory from `$dst`; returns where the
  ;; output ended.
  (func (export "escape") (param $src i32) (param $units i32) (param $dst i32) (result i32)
    (local $i i32) (local $end i32) (local $j i32) (local $low v128) (local $high v128)
    (local $bytes v128) (local $flags i32) (local $unit i32) (local $next i32) (local $point i32)
    (local.set $i (local.get $src))
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $units) (i32.const 1))))
    (local.set $j (local.get $dst))
    (block $done
      (loop $step
        ;; Sixteen units at a time: narrowed to bytes and stored whole; only those before the
        ;; first one that is not plain ASCII (escaped, or beyond 0x7f) are kept.
        (if (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end)) (then
          (local.set $low (v128.load align=1 (local.get $i)))
          (local.set $high (v128.load offset=16 align=1 (local.get $i)))
          (local.set $bytes (i8x16.narrow_i16x8_u (local.get $low) (local.get $high)))
          ;; Narrowing keeps units up to 0xff, makes 0x100-0x7fff 0xff and 0x8000 up (negative
          ;; as i16) 0: every unit beyond ASCII becomes a byte from 0x80 up, negative when
          ;; signed, or 0. One signed comparison below 0x20 finds those and the controls.
          (local.set $flags (i8x16.bitmask
            (v128.or
              (i8x16.lt_s (local.get $bytes) (i8x16.splat (i32.const 0x20)))
              (v128.or
                (i8x16.eq (local.get $bytes) (i8x16.splat (i32.const 0x22)))
                (i8x16.eq (local.get $bytes) (i8x16.splat (i32.const 0x5c)))))))
          (v128.store align=1 (local.get $j) (local.get $bytes))
          (if (i32.eqz (local.get $flags)) (then
            (local.set $i (i32.add (local.get $i) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $step)))
          (local.set $flags (i32.ctz (local.get $flags)))
          (local.set $i (i32.add (local.get $i) (i32.shl (local.get $flags) (i32.const 1))))
          (local.set $j (i32.add (local.get $j) (local.get $flags)))))
        ;; One unit: one that needs more than copying, or one of the last fifteen.
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $unit (i32.load16_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (if (i32.lt_u (local.get $unit) (i32.const 0x80)) (then
          (local.set $j (call $writeAscii (local.get $unit) (local.get $j)))
          (br $step)))
        (if (i32.lt_u (local.get $unit) (i32.const 0x800)) (then
          (i32.store8 (local.get $j) (i32.or (i32.const 0xc0) (i32.shr_u (local.get $unit) (i32.const 6))))
          (i32.store8 offset=1 (local.get $j) (i32.or (i32.const 0x80) (i32.and (local.get $unit) (i32.const 0x3f))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $step)))
        (if (i32.ne (i32.and (local.get $unit) (i32.const 0xf800)) (i32.const 0xd800)) (then
          (i32.store8 (local.get $j) (i32.or (i32.const 0xe0) (i32.shr_u (local.get $unit) (i32.const 12))))
          (i32.store8 offset=1 (local.get $j)
            (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $unit) (i32.const 6)) (i32.const 0x3f))))
          (i32.store8 offset=2 (local.get $j) (i32.or (i32.const 0x80) (i32.and (local.get $unit) (i32.const 0x3f))))
          (local.set $j (i32.add (local.get $j) (i32.const 3)))
          (br $step)))
        ;; A surrogate: with a low one after a high one, the pair is one character of four
        ;; bytes; alone, it is escaped.
        (local.set $next (i32.const 0))
        (if (i32.lt_u (local.get $i) (local.get $end)) (then (local.set $next (i32.load16_u (local.get $i)))))
        (if (i32.or
              (i32.ge_u (local.get $unit) (i32.const 0xdc00))
              (i32.ne (i32.and (local.get $next) (i32.const 0xfc00)) (i32.const 0xdc00)))
          (then
            (local.set $j (call $writeHexEscape (local.get $unit) (local.get $j)))
            (br $step)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (local.set $point
          (i32.add
            (i32.const 0x10000)
            (i32.or
              (i32.shl (i32.sub (local.get $unit) (i32.const 0xd800)) (i32.const 10))
              (i32.sub (local.get $next) (i32.const 0xdc00)))))
        (i32.store8 (local.get $j) (i32.or (i32.const 0xf0) (i32.shr_u (local.get $point) (i32.const 18))))
        (i32.store8 offset=1 (local.get $j)
          (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $point) (i32.const 12)) (i32.const 0x3f))))
        (i32.store8 offset=2 (local.get $j)
          (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $point) (i32.const 6)) (i32.const 0x3f))))
        (i32.store8 offset=3 (local.get $j) (i32.or (i32.const 0x80) (i32.and (local.get $point) (i32.const 0x3f))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $step)))
    (local.get $j)))
