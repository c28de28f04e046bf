;; JSON string escaping of UTF-8 bytes, sixteen at a time (WebAssembly SIMD), the same
;; escaping as json-escape-bytes.ts: `"`, `\` and the controls below 0x20 change, every other
;; byte is copied. The compiled module is in json-escape-wasm-module.ts; after a change here
;; run `pnpm build:wasm` (a test checks that the two agree).
;;
;; Memory (8 pages, never grown): json-escape-wasm.ts puts the input at 1024 and reads the
;; output past the input's room. The output needs room for 6 bytes per input byte plus 16: a
;; block of 16 is stored whole before its first escaped byte is known.
;;
;; `sawEF` tells whether the last input held a byte 0xEF. The input is a string encoded by Node,
;; which writes a lone surrogate as U+FFFD (EF BF BD): only when the flag is up does the
;; caller check the string for lone surrogates, instead of checking every string.
(module
  (memory (export "memory") 8)
  (global $sawEF (export "sawEF") (mut i32) (i32.const 0))

  ;; The digit of a hex value 0-15, lowercase as JSON.stringify writes it.
  (func $hexDigit (param $value i32) (result i32)
    (select
      (i32.add (local.get $value) (i32.const 0x30))
      (i32.add (local.get $value) (i32.const 0x57))
      (i32.lt_u (local.get $value) (i32.const 10))))

  ;; The letter of a byte's short escape (`\n`, `\"`...), 0 where it has none. Newline first:
  ;; it is by far the most common escaped byte in tool outputs.
  (func $shortEscape (param $byte i32) (result i32)
    (if (i32.eq (local.get $byte) (i32.const 0x0a)) (then (return (i32.const 0x6e))))
    (if (i32.eq (local.get $byte) (i32.const 0x22)) (then (return (i32.const 0x22))))
    (if (i32.eq (local.get $byte) (i32.const 0x5c)) (then (return (i32.const 0x5c))))
    (if (i32.eq (local.get $byte) (i32.const 0x09)) (then (return (i32.const 0x74))))
    (if (i32.eq (local.get $byte) (i32.const 0x0d)) (then (return (i32.const 0x72))))
    (if (i32.eq (local.get $byte) (i32.const 0x08)) (then (return (i32.const 0x62))))
    (if (i32.eq (local.get $byte) (i32.const 0x0c)) (then (return (i32.const 0x66))))
    (i32.const 0))

  ;; Writes the escape of one byte that needs one at `$at`; returns where it ended.
  (func $writeEscape (param $byte i32) (param $at i32) (result i32)
    (local $letter i32)
    (i32.store8 (local.get $at) (i32.const 0x5c))
    (local.set $letter (call $shortEscape (local.get $byte)))
    (if (local.get $letter) (then
      (i32.store8 offset=1 (local.get $at) (local.get $letter))
      (return (i32.add (local.get $at) (i32.const 2)))))
    ;; \u00XX
    (i32.store8 offset=1 (local.get $at) (i32.const 0x75))
    (i32.store8 offset=2 (local.get $at) (i32.const 0x30))
    (i32.store8 offset=3 (local.get $at) (i32.const 0x30))
    (i32.store8 offset=4 (local.get $at) (call $hexDigit (i32.shr_u (local.get $byte) (i32.const 4))))
    (i32.store8 offset=5 (local.get $at) (call $hexDigit (i32.and (local.get $byte) (i32.const 15))))
    (i32.add (local.get $at) (i32.const 6)))

  ;; Escapes the bytes [$src, $src + $length) into memory from $dst; returns where the output
  ;; ended, and sets $sawEF to whether the input held 0xEF.
  (func (export "escape") (param $src i32) (param $length i32) (param $dst i32) (result i32)
    (local $i i32) (local $end i32) (local $j i32) (local $block v128) (local $flags i32) (local $byte i32)
    (local $efBytes v128)
    (global.set $sawEF (i32.const 0))
    (local.set $i (local.get $src))
    (local.set $end (i32.add (local.get $src) (local.get $length)))
    (local.set $j (local.get $dst))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $block (v128.load align=1 (local.get $i)))
        (local.set $efBytes (v128.or (local.get $efBytes) (i8x16.eq (local.get $block) (i8x16.splat (i32.const 0xef)))))
        ;; One bit per byte that needs an escape.
        (local.set $flags (i8x16.bitmask
          (v128.or
            (i8x16.lt_u (local.get $block) (i8x16.splat (i32.const 0x20)))
            (v128.or
              (i8x16.eq (local.get $block) (i8x16.splat (i32.const 0x22)))
              (i8x16.eq (local.get $block) (i8x16.splat (i32.const 0x5c)))))))
        ;; Stored whole; only the bytes before the first escaped one are kept.
        (v128.store align=1 (local.get $j) (local.get $block))
        (if (i32.eqz (local.get $flags)) (then
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $blocks)))
        (local.set $flags (i32.ctz (local.get $flags)))
        (local.set $i (i32.add (local.get $i) (local.get $flags)))
        (local.set $j (call $writeEscape (i32.load8_u (local.get $i)) (i32.add (local.get $j) (local.get $flags))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $blocks)))
    ;; The last 0-15 bytes, one at a time.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $byte (i32.load8_u (local.get $i)))
        (if (i32.eq (local.get $byte) (i32.const 0xef)) (then (global.set $sawEF (i32.const 1))))
        (if (i32.or
              (i32.lt_u (local.get $byte) (i32.const 0x20))
              (i32.or (i32.eq (local.get $byte) (i32.const 0x22)) (i32.eq (local.get $byte) (i32.const 0x5c))))
          (then (local.set $j (call $writeEscape (local.get $byte) (local.get $j))))
          (else
            (i32.store8 (local.get $j) (local.get $byte))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (if (v128.any_true (local.get $efBytes)) (then (global.set $sawEF (i32.const 1))))
    (local.get $j)))
