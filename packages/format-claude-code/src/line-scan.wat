;; The context scan of one transcript line (line-scan-js.ts) in WebAssembly, strings jumped
;; sixteen bytes at a time with SIMD. It reads the same fields, gives up on the same lines,
;; and leaves the making of strings to the caller (line-scan-wasm.ts), which reads where each
;; wanted value starts and ends. The compiled module is in line-scan-wasm-module.ts; after a
;; change here run `pnpm build:wasm` (a test checks that the two agree).
;;
;; Memory: the results from 0, the closing bracket expected at each depth from 128, the line
;; from 1024. The caller grows the memory so that 16 bytes past the line can be loaded; what
;; lies there is never taken for part of the line.
;;
;; Results, i32 each:
;;   0-63  eight slots of (start, end) of a wanted string value, quotes included, start -1
;;         when absent: type, uuid, timestamp, sessionId, agentId, parentUuid, requestId,
;;         message.id
;;   64    one bit per slot whose value holds a backslash (the caller decodes it as JSON)
;;   68    flags: 1 isSidechain is true, 2 message is an object, 4 message holds the string
;;         "Task" or "Agent", 8 toolUseResult has an agentId key
(module
  (memory (export "memory") 1)

  (global $sawBackslash (mut i32) (i32.const 0))

  (global $MESSAGE_ID i32 (i32.const 7))
  (global $IS_SIDECHAIN i32 (i32.const 8))
  (global $MESSAGE i32 (i32.const 9))
  (global $TOOL_USE_RESULT i32 (i32.const 10))
  (global $ID i32 (i32.const 11))

  (global $ESCAPES i32 (i32.const 64))
  (global $FLAGS i32 (i32.const 68))
  (global $CLOSERS i32 (i32.const 128))
  (global $MAX_DEPTH i32 (i32.const 256))

  (global $IS_SIDECHAIN_TRUE i32 (i32.const 1))
  (global $HAS_MESSAGE i32 (i32.const 2))
  (global $NAMES_SUBAGENT_TOOL i32 (i32.const 4))
  (global $RESULT_NAMES_AGENT i32 (i32.const 8))

  ;; What the second-level object being walked is: its keys are read only in these two.
  (global $OTHER i32 (i32.const 0))
  (global $IN_MESSAGE i32 (i32.const 1))
  (global $IN_TOOL_USE_RESULT i32 (i32.const 2))

  (func $byteAt (param $at i32) (param $end i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $at) (local.get $end))
      (then (i32.load8_u (local.get $at)))
      (else (i32.const 0))))

  (func $setFlag (param $flag i32)
    (i32.store (global.get $FLAGS) (i32.or (i32.load (global.get $FLAGS)) (local.get $flag))))

  (func $clearFlag (param $flag i32)
    (i32.store (global.get $FLAGS) (i32.and (i32.load (global.get $FLAGS)) (i32.xor (local.get $flag) (i32.const -1)))))

  ;; Whether the four bytes at $at, all before $end, are $word (little-endian).
  (func $spells4 (param $at i32) (param $end i32) (param $word i32) (result i32)
    (if (result i32) (i32.gt_u (i32.add (local.get $at) (i32.const 4)) (local.get $end))
      (then (i32.const 0))
      (else (i32.eq (i32.load align=1 (local.get $at)) (local.get $word)))))

  ;; Past JSON whitespace from $at, at most to $end.
  (func $skipSpace (param $at i32) (param $end i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $at)))
        (br_if $done (i32.eqz (i32.or
          (i32.or (i32.eq (local.get $c) (i32.const 0x20)) (i32.eq (local.get $c) (i32.const 0x09)))
          (i32.or (i32.eq (local.get $c) (i32.const 0x0a)) (i32.eq (local.get $c) (i32.const 0x0d))))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $at))

  ;; Just past the string whose opening quote is at $at, or -1 when it does not end before
  ;; $end; $sawBackslash tells whether the string holds a backslash. Only quotes stop the
  ;; search (text has a backslash every few dozen bytes, one per `\n`); a quote after an odd
  ;; run of backslashes is escaped, and the opening quote ends any run.
  (func $stringEnd (param $at i32) (param $end i32) (result i32)
    (local $block v128) (local $quotes i32) (local $backslashes i32) (local $run i32)
    (global.set $sawBackslash (i32.const 0))
    (local.set $at (i32.add (local.get $at) (i32.const 1)))
    (loop $next
      (if (i32.ge_u (local.get $at) (local.get $end)) (then (return (i32.const -1))))
      (local.set $block (v128.load align=1 (local.get $at)))
      (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $block) (i8x16.splat (i32.const 0x22)))))
      (local.set $backslashes (i8x16.bitmask (i8x16.eq (local.get $block) (i8x16.splat (i32.const 0x5c)))))
      (if (i32.eqz (local.get $quotes)) (then
        (global.set $sawBackslash (i32.or (global.get $sawBackslash) (local.get $backslashes)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))
      ;; Backslashes before the quote belong to the string.
      (global.set $sawBackslash (i32.or (global.get $sawBackslash)
        (i32.and (local.get $backslashes) (i32.sub (i32.and (local.get $quotes) (i32.sub (i32.const 0) (local.get $quotes))) (i32.const 1)))))
      (local.set $at (i32.add (local.get $at) (i32.ctz (local.get $quotes))))
      (if (i32.ge_u (local.get $at) (local.get $end)) (then (return (i32.const -1))))
      (local.set $run (i32.const 0))
      (block $runDone
        (loop $back
          (br_if $runDone (i32.ne (i32.load8_u (i32.sub (i32.sub (local.get $at) (i32.const 1)) (local.get $run))) (i32.const 0x5c)))
          (local.set $run (i32.add (local.get $run) (i32.const 1)))
          (br $back)))
      (if (i32.eqz (i32.and (local.get $run) (i32.const 1))) (then (return (i32.add (local.get $at) (i32.const 1)))))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (br $next))
    (unreachable))

  ;; Whether the bytes [$from, $to) are all ASCII.
  (func $isAscii (param $from i32) (param $to i32) (result i32)
    (local $mask i32)
    (loop $next
      (if (i32.ge_u (local.get $from) (local.get $to)) (then (return (i32.const 1))))
      (local.set $mask (i8x16.bitmask (v128.load align=1 (local.get $from))))
      ;; Only the bytes before $to count.
      (if (i32.lt_u (i32.sub (local.get $to) (local.get $from)) (i32.const 16)) (then
        (local.set $mask (i32.and (local.get $mask)
          (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $to) (local.get $from))) (i32.const 1))))))
      (if (local.get $mask) (then (return (i32.const 0))))
      (local.set $from (i32.add (local.get $from) (i32.const 16)))
      (br $next))
    (unreachable))

  (func $clearSlot (param $slot i32)
    (i32.store (i32.shl (local.get $slot) (i32.const 3)) (i32.const -1)))

  ;; Keeps the string value [$start, $end) in $slot, with its backslash bit from the
  ;; $stringEnd call that found its end; 0 when it is not ASCII (the caller then parses the line).
  (func $keepString (param $slot i32) (param $start i32) (param $end i32) (result i32)
    (local $bit i32)
    (if (i32.eqz (call $isAscii (i32.add (local.get $start) (i32.const 1)) (i32.sub (local.get $end) (i32.const 1))))
      (then (return (i32.const 0))))
    (i32.store (i32.shl (local.get $slot) (i32.const 3)) (local.get $start))
    (i32.store offset=4 (i32.shl (local.get $slot) (i32.const 3)) (local.get $end))
    (local.set $bit (i32.shl (i32.const 1) (local.get $slot)))
    (i32.store (global.get $ESCAPES) (i32.or
      (i32.and (i32.load (global.get $ESCAPES)) (i32.xor (local.get $bit) (i32.const -1)))
      (select (local.get $bit) (i32.const 0) (global.get $sawBackslash))))
    (i32.const 1))

  ;; Which wanted key the $length bytes at $at spell: its slot (0-6) for the string-valued
  ;; ones, the globals above for the rest, -1 for any other key. Two loads of eight bytes
  ;; (overlapping for keys of 9-16 bytes) compared with the names' bytes, little-endian.
  (func $keyId (param $at i32) (param $length i32) (result i32)
    (local $head i64) (local $tail i64)
    (if (i32.gt_u (local.get $length) (i32.const 16)) (then (return (i32.const -1))))
    (local.set $head (i64.load align=1 (local.get $at)))
    (if (i32.lt_u (local.get $length) (i32.const 8)) (then
      (local.set $head (i64.and (local.get $head)
        (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $length) (i32.const 3)))) (i64.const 1))))))
    (local.set $tail (i64.load align=1 (i32.sub (i32.add (local.get $at) (local.get $length)) (i32.const 8))))
    (block $other
      (block $l13 (block $l11 (block $l10 (block $l9 (block $l7 (block $l4 (block $l2
        (br_table $other $other $l2 $other $l4 $other $other $l7 $other $l9 $l10 $l11 $other $l13 $other
          (local.get $length)))
        ;; "id"
        (br_if $other (i64.ne (local.get $head) (i64.const 0x6469)))
        (return (global.get $ID)))
        ;; "type", "uuid"
        (if (i64.eq (local.get $head) (i64.const 0x65707974)) (then (return (i32.const 0))))
        (if (i64.eq (local.get $head) (i64.const 0x64697575)) (then (return (i32.const 1))))
        (br $other))
        ;; "agentId", "message"
        (if (i64.eq (local.get $head) (i64.const 0x6449746e656761)) (then (return (i32.const 4))))
        (if (i64.eq (local.get $head) (i64.const 0x6567617373656d)) (then (return (global.get $MESSAGE))))
        (br $other))
        ;; "timestamp", "sessionId", "requestId"
        (if (i32.and (i64.eq (local.get $head) (i64.const 0x6d617473656d6974)) (i64.eq (local.get $tail) (i64.const 0x706d617473656d69)))
          (then (return (i32.const 2))))
        (if (i32.and (i64.eq (local.get $head) (i64.const 0x496e6f6973736573)) (i64.eq (local.get $tail) (i64.const 0x64496e6f69737365)))
          (then (return (i32.const 3))))
        (if (i32.and (i64.eq (local.get $head) (i64.const 0x4974736575716572)) (i64.eq (local.get $tail) (i64.const 0x6449747365757165)))
          (then (return (i32.const 6))))
        (br $other))
        ;; "parentUuid"
        (if (i32.and (i64.eq (local.get $head) (i64.const 0x7555746e65726170)) (i64.eq (local.get $tail) (i64.const 0x64697555746e6572)))
          (then (return (i32.const 5))))
        (br $other))
        ;; "isSidechain"
        (if (i32.and (i64.eq (local.get $head) (i64.const 0x6863656469537369)) (i64.eq (local.get $tail) (i64.const 0x6e69616863656469)))
          (then (return (global.get $IS_SIDECHAIN))))
        (br $other))
      ;; "toolUseResult"
      (if (i32.and (i64.eq (local.get $head) (i64.const 0x526573556c6f6f74)) (i64.eq (local.get $tail) (i64.const 0x746c757365526573)))
        (then (return (global.get $TOOL_USE_RESULT)))))
    (i32.const -1))

  ;; Reads the value of top-level key $key that starts at $at (before $end). Returns where the
  ;; value ends when it was read here, $at when the walk should go on into it, -1 to give up.
  (func $readTopLevel (param $key i32) (param $at i32) (param $end i32) (result i32)
    (local $valueEnd i32)
    (if (i32.le_u (local.get $key) (i32.const 6)) (then
      (if (i32.ne (i32.load8_u (local.get $at)) (i32.const 0x22)) (then
        ;; parentUuid may be null
        (if (i32.and (i32.eq (local.get $key) (i32.const 5)) (call $spells4 (local.get $at) (local.get $end) (i32.const 0x6c6c756e)))
          (then
            (call $clearSlot (local.get $key))
            (return (i32.add (local.get $at) (i32.const 4)))))
        (return (i32.const -1))))
      (local.set $valueEnd (call $stringEnd (local.get $at) (local.get $end)))
      (if (i32.eq (local.get $valueEnd) (i32.const -1)) (then (return (i32.const -1))))
      (if (i32.eqz (call $keepString (local.get $key) (local.get $at) (local.get $valueEnd))) (then (return (i32.const -1))))
      (return (local.get $valueEnd))))
    (if (i32.eq (local.get $key) (global.get $IS_SIDECHAIN)) (then
      (if (call $spells4 (local.get $at) (local.get $end) (i32.const 0x65757274))
        (then (call $setFlag (global.get $IS_SIDECHAIN_TRUE)))
        (else (call $clearFlag (global.get $IS_SIDECHAIN_TRUE))))
      (return (local.get $at))))
    (if (i32.eq (local.get $key) (global.get $MESSAGE)) (then
      (if (i32.eq (i32.load8_u (local.get $at)) (i32.const 0x7b))
        (then (call $setFlag (global.get $HAS_MESSAGE)))
        (else (call $clearFlag (global.get $HAS_MESSAGE))))
      (call $clearSlot (global.get $MESSAGE_ID))
      (return (local.get $at))))
    (if (i32.eq (local.get $key) (global.get $TOOL_USE_RESULT)) (then
      (call $clearFlag (global.get $RESULT_NAMES_AGENT))))
    (local.get $at))

  ;; Scans the line [$start, $end). 1 when its fields are in the results, 0 when the caller
  ;; must parse it in full: it is not one JSON object, its brackets or quotes do not balance,
  ;; a key read has an escape, or a wanted value is not what the scan reads.
  (func (export "scan") (param $start i32) (param $end i32) (result i32)
    (local $i i32) (local $c i32) (local $depth i32) (local $second i32) (local $stringEnd i32)
    (local $after i32) (local $key i32) (local $valueStart i32) (local $next i32) (local $size i32)
    (local $slot i32)
    (loop $clear
      (call $clearSlot (local.get $slot))
      (local.set $slot (i32.add (local.get $slot) (i32.const 1)))
      (br_if $clear (i32.lt_u (local.get $slot) (i32.const 8))))
    (i32.store (global.get $ESCAPES) (i32.const 0))
    (i32.store (global.get $FLAGS) (i32.const 0))
    (local.set $i (call $skipSpace (local.get $start) (local.get $end)))
    (if (i32.ne (call $byteAt (local.get $i) (local.get $end)) (i32.const 0x7b)) (then (return (i32.const 0))))
    (local.set $depth (i32.const 1))
    (i32.store8 offset=1 (global.get $CLOSERS) (i32.const 0x7d))
    (local.set $second (global.get $OTHER))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (loop $walk
      (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 0x22)) (then
        (local.set $stringEnd (call $stringEnd (local.get $i) (local.get $end)))
        (if (i32.eq (local.get $stringEnd) (i32.const -1)) (then (return (i32.const 0))))
        (if (i32.or (i32.eq (local.get $depth) (i32.const 1))
                    (i32.and (i32.eq (local.get $depth) (i32.const 2)) (i32.ne (local.get $second) (global.get $OTHER)))) (then
          (local.set $after (call $skipSpace (local.get $stringEnd) (local.get $end)))
          (if (i32.eq (call $byteAt (local.get $after) (local.get $end)) (i32.const 0x3a)) (then
            ;; A key with an escape could spell a wanted one.
            (if (global.get $sawBackslash) (then (return (i32.const 0))))
            (local.set $key (call $keyId
              (i32.add (local.get $i) (i32.const 1))
              (i32.sub (i32.sub (local.get $stringEnd) (local.get $i)) (i32.const 2))))
            (local.set $valueStart (call $skipSpace (i32.add (local.get $after) (i32.const 1)) (local.get $end)))
            (if (i32.ge_u (local.get $valueStart) (local.get $end)) (then (return (i32.const 0))))
            (if (i32.eq (local.get $depth) (i32.const 1)) (then
              (local.set $next (call $readTopLevel (local.get $key) (local.get $valueStart) (local.get $end)))
              (if (i32.eq (local.get $next) (i32.const -1)) (then (return (i32.const 0))))
              (local.set $second
                (select (global.get $IN_MESSAGE)
                  (select (global.get $IN_TOOL_USE_RESULT) (global.get $OTHER) (i32.eq (local.get $key) (global.get $TOOL_USE_RESULT)))
                  (i32.eq (local.get $key) (global.get $MESSAGE))))
              (local.set $i (local.get $next))
              (br $walk)))
            (if (i32.and (i32.eq (local.get $second) (global.get $IN_TOOL_USE_RESULT)) (i32.eq (local.get $key) (i32.const 4)))
              (then (call $setFlag (global.get $RESULT_NAMES_AGENT))))
            (if (i32.and (i32.eq (local.get $second) (global.get $IN_MESSAGE)) (i32.eq (local.get $key) (global.get $ID))) (then
              (call $clearSlot (global.get $MESSAGE_ID))
              (if (i32.eq (i32.load8_u (local.get $valueStart)) (i32.const 0x22)) (then
                (local.set $next (call $stringEnd (local.get $valueStart) (local.get $end)))
                (if (i32.ne (local.get $next) (i32.const -1)) (then
                  (if (i32.eqz (call $keepString (global.get $MESSAGE_ID) (local.get $valueStart) (local.get $next)))
                    (then (return (i32.const 0))))
                  (local.set $i (local.get $next))
                  (br $walk)))))))
            (local.set $i (local.get $valueStart))
            (br $walk)))))
        ;; "Task" and "Agent" as whole JSON strings (an escaped quote in a text is not one).
        (if (i32.eq (local.get $second) (global.get $IN_MESSAGE)) (then
          (local.set $size (i32.sub (local.get $stringEnd) (local.get $i)))
          (if (i32.or
                (i32.and (i32.eq (local.get $size) (i32.const 6))
                         (i32.eq (i32.load offset=1 align=1 (local.get $i)) (i32.const 0x6b736154)))
                (i32.and (i32.eq (local.get $size) (i32.const 7))
                         (i32.and (i32.eq (i32.load offset=1 align=1 (local.get $i)) (i32.const 0x6e656741))
                                  (i32.eq (i32.load8_u offset=5 (local.get $i)) (i32.const 0x74)))))
            (then (call $setFlag (global.get $NAMES_SUBAGENT_TOOL))))))
        (local.set $i (local.get $stringEnd))
        (br $walk)))
      (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x7b)) (then
        ;; `{` or `[`
        (if (i32.eq (local.get $depth) (global.get $MAX_DEPTH)) (then (return (i32.const 0))))
        (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
        (i32.store8 (i32.add (global.get $CLOSERS) (local.get $depth)) (i32.add (local.get $c) (i32.const 2)))
        ;; Only the value of a top-level key opens a second level whose keys are read.
        (if (i32.and (i32.eq (local.get $depth) (i32.const 2)) (i32.eq (local.get $c) (i32.const 0x5b)))
          (then (local.set $second (global.get $OTHER))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $walk)))
      (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x7d)) (then
        ;; `}` or `]`
        (if (i32.ne (i32.load8_u (i32.add (global.get $CLOSERS) (local.get $depth))) (local.get $c)) (then (return (i32.const 0))))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (if (i32.eqz (local.get $depth)) (then
          (return (i32.eq (call $skipSpace (i32.add (local.get $i) (i32.const 1)) (local.get $end)) (local.get $end)))))
        (if (i32.eq (local.get $depth) (i32.const 1)) (then (local.set $second (global.get $OTHER))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $walk))
    (unreachable))
)
