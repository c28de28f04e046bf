;; Finds keywords in a text, case-insensitively (ASCII letters), sixteen positions a step.
;;
;; Each keyword has a window of up to four of its characters and belongs to one of
;; sixteen buckets. For each window position k and bucket, two 16-byte masks say which low and
;; which high nibbles the bucket's keywords have there; a text position whose four bytes pass
;; both masks of a bucket at every k is a candidate for that bucket's keywords, which are then
;; compared in full. The masks are looked up with i8x16.swizzle, one lookup for sixteen bytes.
;;
;; Memory, filled by the caller:
;;   0..255     the fold table: each byte's lower case (ASCII letters), other bytes as they are
;;   256..511   the masks: for window position k (0-3) and half h (buckets 0-7, 8-15), the
;;              low-nibble mask at 256 + 64k + 32h and the high-nibble mask 16 bytes after it;
;;              bit b of a mask byte stands for bucket b of the half
;;   512..639   the buckets: for bucket b, the first and the end address of its entries, two
;;              i32 at 512 + 8b
;;   640..671   scratch: the bucket bits of the sixteen positions of a block, two halves
;;   the entries, 32 bytes each, i32: the window's offset in the keyword, the keyword's length,
;;              the address of its folded bytes, the keyword's number, then the window as one
;;              little-endian number: its folded bytes, the bits that fold (0x20 in each letter's
;;              byte) and the bytes it has (0xff each); a text position passes when its four
;;              bytes, with the fold bits set and the others kept, are the window's bytes
;;   the text, followed by at least 32 bytes the scan may read (their value does not matter)
;;   the hits: pairs of i32, the keyword's number and its start
(module
  (memory (export "memory") 1)

  ;; Appends every occurrence of a keyword in the `length` bytes at `text` to the hits at
  ;; `hits`, at most `capacity` of them; returns their count, or -1 when they did not fit.
  (func (export "scan") (param $text i32) (param $length i32) (param $hits i32) (param $capacity i32) (result i32)
    (local $p i32) (local $a i32) (local $count i32) (local $bits i32) (local $lane i32) (local $pos i32)
    (local $buckets i32) (local $bucket i32) (local $entry i32) (local $end i32) (local $start i32)
    (local $len i32) (local $codes i32) (local $i i32) (local $word i32)
    (local $nibble v128) (local $v v128) (local $lo v128) (local $hi v128) (local $r1 v128) (local $r2 v128)
    (local $l0a v128) (local $h0a v128) (local $l1a v128) (local $h1a v128)
    (local $l2a v128) (local $h2a v128) (local $l3a v128) (local $h3a v128)
    (local $l0b v128) (local $h0b v128) (local $l1b v128) (local $h1b v128)
    (local $l2b v128) (local $h2b v128) (local $l3b v128) (local $h3b v128)
    (local.set $nibble (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (local.set $l0a (v128.load (i32.const 256)))
    (local.set $h0a (v128.load (i32.const 272)))
    (local.set $l0b (v128.load (i32.const 288)))
    (local.set $h0b (v128.load (i32.const 304)))
    (local.set $l1a (v128.load (i32.const 320)))
    (local.set $h1a (v128.load (i32.const 336)))
    (local.set $l1b (v128.load (i32.const 352)))
    (local.set $h1b (v128.load (i32.const 368)))
    (local.set $l2a (v128.load (i32.const 384)))
    (local.set $h2a (v128.load (i32.const 400)))
    (local.set $l2b (v128.load (i32.const 416)))
    (local.set $h2b (v128.load (i32.const 432)))
    (local.set $l3a (v128.load (i32.const 448)))
    (local.set $h3a (v128.load (i32.const 464)))
    (local.set $l3b (v128.load (i32.const 480)))
    (local.set $h3b (v128.load (i32.const 496)))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $p) (local.get $length)))
        (local.set $a (i32.add (local.get $text) (local.get $p)))
        ;; Window position 0.
        (local.set $v (v128.load align=1 (local.get $a)))
        (local.set $lo (v128.and (local.get $v) (local.get $nibble)))
        (local.set $hi (i8x16.shr_u (local.get $v) (i32.const 4)))
        (local.set $r1 (v128.and (i8x16.swizzle (local.get $l0a) (local.get $lo)) (i8x16.swizzle (local.get $h0a) (local.get $hi))))
        (local.set $r2 (v128.and (i8x16.swizzle (local.get $l0b) (local.get $lo)) (i8x16.swizzle (local.get $h0b) (local.get $hi))))
        ;; Window position 1.
        (local.set $v (v128.load offset=1 align=1 (local.get $a)))
        (local.set $lo (v128.and (local.get $v) (local.get $nibble)))
        (local.set $hi (i8x16.shr_u (local.get $v) (i32.const 4)))
        (local.set $r1 (v128.and (local.get $r1) (v128.and (i8x16.swizzle (local.get $l1a) (local.get $lo)) (i8x16.swizzle (local.get $h1a) (local.get $hi)))))
        (local.set $r2 (v128.and (local.get $r2) (v128.and (i8x16.swizzle (local.get $l1b) (local.get $lo)) (i8x16.swizzle (local.get $h1b) (local.get $hi)))))
        ;; Window position 2.
        (local.set $v (v128.load offset=2 align=1 (local.get $a)))
        (local.set $lo (v128.and (local.get $v) (local.get $nibble)))
        (local.set $hi (i8x16.shr_u (local.get $v) (i32.const 4)))
        (local.set $r1 (v128.and (local.get $r1) (v128.and (i8x16.swizzle (local.get $l2a) (local.get $lo)) (i8x16.swizzle (local.get $h2a) (local.get $hi)))))
        (local.set $r2 (v128.and (local.get $r2) (v128.and (i8x16.swizzle (local.get $l2b) (local.get $lo)) (i8x16.swizzle (local.get $h2b) (local.get $hi)))))
        ;; Window position 3.
        (local.set $v (v128.load offset=3 align=1 (local.get $a)))
        (local.set $lo (v128.and (local.get $v) (local.get $nibble)))
        (local.set $hi (i8x16.shr_u (local.get $v) (i32.const 4)))
        (local.set $r1 (v128.and (local.get $r1) (v128.and (i8x16.swizzle (local.get $l3a) (local.get $lo)) (i8x16.swizzle (local.get $h3a) (local.get $hi)))))
        (local.set $r2 (v128.and (local.get $r2) (v128.and (i8x16.swizzle (local.get $l3b) (local.get $lo)) (i8x16.swizzle (local.get $h3b) (local.get $hi)))))
        (if (v128.any_true (v128.or (local.get $r1) (local.get $r2)))
          (then
            (local.set $bits (i8x16.bitmask (i8x16.ne (v128.or (local.get $r1) (local.get $r2)) (v128.const i64x2 0 0))))
            ;; The last block's positions past the end are not the text's.
            (if (i32.lt_u (i32.sub (local.get $length) (local.get $p)) (i32.const 16))
              (then
                (local.set $bits
                  (i32.and (local.get $bits)
                    (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $length) (local.get $p))) (i32.const 1))))))
            (v128.store (i32.const 640) (local.get $r1))
            (v128.store (i32.const 656) (local.get $r2))
            (block $lanes_done
              (loop $lanes
                (br_if $lanes_done (i32.eqz (local.get $bits)))
                (local.set $lane (i32.ctz (local.get $bits)))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (local.set $pos (i32.add (local.get $p) (local.get $lane)))
                (local.set $word (i32.load align=1 (i32.add (local.get $text) (local.get $pos))))
                (local.set $buckets
                  (i32.or (i32.load8_u offset=640 (local.get $lane))
                    (i32.shl (i32.load8_u offset=656 (local.get $lane)) (i32.const 8))))
                (block $buckets_done
                  (loop $each_bucket
                    (br_if $buckets_done (i32.eqz (local.get $buckets)))
                    (local.set $bucket (i32.ctz (local.get $buckets)))
                    (local.set $buckets (i32.and (local.get $buckets) (i32.sub (local.get $buckets) (i32.const 1))))
                    (local.set $entry (i32.load offset=512 (i32.shl (local.get $bucket) (i32.const 3))))
                    (local.set $end (i32.load offset=516 (i32.shl (local.get $bucket) (i32.const 3))))
                    (block $entries_done
                      (loop $each_entry
                        (br_if $entries_done (i32.ge_u (local.get $entry) (local.get $end)))
                        (local.set $start (i32.sub (local.get $pos) (i32.load (local.get $entry))))
                        (local.set $len (i32.load offset=4 (local.get $entry)))
                        ;; The window first, as one number: most candidates end here.
                        (if (i32.and
                              (i32.eq
                                (i32.and (i32.or (local.get $word) (i32.load offset=20 (local.get $entry))) (i32.load offset=24 (local.get $entry)))
                                (i32.load offset=16 (local.get $entry)))
                              ;; Both as unsigned: a start before the text is a large number.
                              (i32.le_u (i32.add (local.get $start) (local.get $len)) (local.get $length)))
                          (then
                            (if (i32.ge_s (local.get $start) (i32.const 0))
                              (then
                                (local.set $codes (i32.load offset=8 (local.get $entry)))
                                (local.set $a (i32.add (local.get $text) (local.get $start)))
                                (local.set $i (i32.const 0))
                                (block $differs
                                  (loop $compare
                                    (if (i32.ge_u (local.get $i) (local.get $len))
                                      (then
                                        (if (i32.ge_u (local.get $count) (local.get $capacity))
                                          (then (return (i32.const -1))))
                                        (i32.store (i32.add (local.get $hits) (i32.shl (local.get $count) (i32.const 3)))
                                          (i32.load offset=12 (local.get $entry)))
                                        (i32.store offset=4 (i32.add (local.get $hits) (i32.shl (local.get $count) (i32.const 3)))
                                          (local.get $start))
                                        (local.set $count (i32.add (local.get $count) (i32.const 1)))
                                        (br $differs)))
                                    (br_if $differs
                                      (i32.ne
                                        (i32.load8_u (i32.load8_u (i32.add (local.get $a) (local.get $i))))
                                        (i32.load8_u (i32.add (local.get $codes) (local.get $i)))))
                                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                                    (br $compare)))))))
                        (local.set $entry (i32.add (local.get $entry) (i32.const 32)))
                        (br $each_entry)))
                    (br $each_bucket)))
                (br $lanes)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (local.get $count))
)
