;; UTF-8 to UTF-16 (little-endian), sixteen bytes at a time while they are ASCII (WebAssembly
;; SIMD). Only well-formed UTF-8 is transcoded: at the first byte that is not (a stray
;; continuation byte, an overlong form, a surrogate, a code point past U+10FFFF, a sequence cut
;; short) it gives up, and the caller leaves the bytes to the engine's decoder, whose U+FFFD
;; replacement it does not repeat. The compiled module is in utf8-decode-wasm-module.ts; after
;; a change here run `pnpm build:wasm` (a test checks that the two agree).
;;
;; Memory: utf8-decode.ts puts the input at 0 and the output past the input's room, which
;; needs 2 bytes per input byte plus 32: a block of 16 is stored whole, widened, before its
;; first byte that is not ASCII is known. It grows the memory for longer lines.
(module
  (memory (export "memory") 1)

  ;; Where the first byte of [$src, $end) that is not ASCII is, or $end.
  (func $firstNonAscii (param $src i32) (param $end i32) (result i32)
    (local $i i32) (local $mask i32)
    (local.set $i (local.get $src))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $mask (i8x16.bitmask (v128.load align=1 (local.get $i))))
        (if (local.get $mask) (then (return (i32.add (local.get $i) (i32.ctz (local.get $mask))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.ge_u (i32.load8_u (local.get $i)) (i32.const 0x80)) (then (return (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $end))

  ;; True when $byte is a continuation byte (10xxxxxx).
  (func $isContinuation (param $byte i32) (result i32)
    (i32.eq (i32.and (local.get $byte) (i32.const 0xc0)) (i32.const 0x80)))

  ;; Transcodes [$src, $src + $length) to UTF-16 from $dst. Returns the count of UTF-16 units
  ;; written, $length itself when every byte is ASCII (then nothing is written), or -1 when
  ;; the input is not well-formed UTF-8.
  (func (export "toUtf16") (param $src i32) (param $length i32) (param $dst i32) (result i32)
    (local $i i32) (local $end i32) (local $j i32) (local $block v128) (local $mask i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $point i32)
    (local.set $end (i32.add (local.get $src) (local.get $length)))
    (if (i32.eq (call $firstNonAscii (local.get $src) (local.get $end)) (local.get $end))
      (then (return (local.get $length))))
    (local.set $i (local.get $src))
    (local.set $j (local.get $dst))
    (block $done
      (loop $next
        ;; A block of 16 is widened and stored whole; only its ASCII bytes up to the first
        ;; other one are kept.
        (if (i32.le_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)) (then
          (local.set $block (v128.load align=1 (local.get $i)))
          (local.set $mask (i8x16.bitmask (local.get $block)))
          (v128.store align=1 (local.get $j) (i16x8.extend_low_i8x16_u (local.get $block)))
          (v128.store offset=16 align=1 (local.get $j) (i16x8.extend_high_i8x16_u (local.get $block)))
          (if (i32.eqz (local.get $mask)) (then
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $next)))
          (local.set $mask (i32.ctz (local.get $mask)))
          (local.set $i (i32.add (local.get $i) (local.get $mask)))
          (local.set $j (i32.add (local.get $j) (i32.shl (local.get $mask) (i32.const 1))))))
        ;; At a byte that is not ASCII, or in the last 15 bytes.
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $b0 (i32.load8_u (local.get $i)))
        (if (i32.lt_u (local.get $b0) (i32.const 0x80)) (then
          (i32.store16 (local.get $j) (local.get $b0))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $next)))
        ;; C2-DF: two bytes (C0 and C1 could only start overlong forms; 80-BF start nothing).
        (if (i32.lt_u (local.get $b0) (i32.const 0xe0)) (then
          (if (i32.lt_u (local.get $b0) (i32.const 0xc2)) (then (return (i32.const -1))))
          (if (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $end)) (then (return (i32.const -1))))
          (local.set $b1 (i32.load8_u offset=1 (local.get $i)))
          (if (i32.eqz (call $isContinuation (local.get $b1))) (then (return (i32.const -1))))
          (i32.store16 (local.get $j)
            (i32.or
              (i32.shl (i32.and (local.get $b0) (i32.const 0x1f)) (i32.const 6))
              (i32.and (local.get $b1) (i32.const 0x3f))))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $next)))
        ;; E0-EF: three bytes, for U+0800-U+FFFF without the surrogates.
        (if (i32.lt_u (local.get $b0) (i32.const 0xf0)) (then
          (if (i32.gt_u (i32.add (local.get $i) (i32.const 3)) (local.get $end)) (then (return (i32.const -1))))
          (local.set $b1 (i32.load8_u offset=1 (local.get $i)))
          (local.set $b2 (i32.load8_u offset=2 (local.get $i)))
          (if (i32.eqz (i32.and (call $isContinuation (local.get $b1)) (call $isContinuation (local.get $b2))))
            (then (return (i32.const -1))))
          (local.set $point
            (i32.or
              (i32.or
                (i32.shl (i32.and (local.get $b0) (i32.const 0x0f)) (i32.const 12))
                (i32.shl (i32.and (local.get $b1) (i32.const 0x3f)) (i32.const 6)))
              (i32.and (local.get $b2) (i32.const 0x3f))))
          (if (i32.lt_u (local.get $point) (i32.const 0x800)) (then (return (i32.const -1))))
          (if (i32.eq (i32.and (local.get $point) (i32.const 0xf800)) (i32.const 0xd800)) (then (return (i32.const -1))))
          (i32.store16 (local.get $j) (local.get $point))
          (local.set $i (i32.add (local.get $i) (i32.const 3)))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $next)))
        ;; F0-F4: four bytes, for U+10000-U+10FFFF, written as a surrogate pair.
        (if (i32.gt_u (local.get $b0) (i32.const 0xf4)) (then (return (i32.const -1))))
        (if (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end)) (then (return (i32.const -1))))
        (local.set $b1 (i32.load8_u offset=1 (local.get $i)))
        (local.set $b2 (i32.load8_u offset=2 (local.get $i)))
        (local.set $b3 (i32.load8_u offset=3 (local.get $i)))
        (if (i32.eqz
              (i32.and
                (call $isContinuation (local.get $b1))
                (i32.and (call $isContinuation (local.get $b2)) (call $isContinuation (local.get $b3)))))
          (then (return (i32.const -1))))
        (local.set $point
          (i32.or
            (i32.or
              (i32.shl (i32.and (local.get $b0) (i32.const 0x07)) (i32.const 18))
              (i32.shl (i32.and (local.get $b1) (i32.const 0x3f)) (i32.const 12)))
            (i32.or
              (i32.shl (i32.and (local.get $b2) (i32.const 0x3f)) (i32.const 6))
              (i32.and (local.get $b3) (i32.const 0x3f)))))
        (if (i32.or
              (i32.lt_u (local.get $point) (i32.const 0x10000))
              (i32.gt_u (local.get $point) (i32.const 0x10ffff)))
          (then (return (i32.const -1))))
        (local.set $point (i32.sub (local.get $point) (i32.const 0x10000)))
        (i32.store16 (local.get $j) (i32.or (i32.const 0xd800) (i32.shr_u (local.get $point) (i32.const 10))))
        (i32.store16 offset=2 (local.get $j) (i32.or (i32.const 0xdc00) (i32.and (local.get $point) (i32.const 0x3ff))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $next)))
    (i32.shr_u (i32.sub (local.get $j) (local.get $dst)) (i32.const 1))))
