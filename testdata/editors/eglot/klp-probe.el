;;; klp-probe.el --- eglot 1.9 drives the klp language server  -*- lexical-binding: t -*-
;; SPDX-License-Identifier: GPL-2.0-only
;; KLP_SERVER_CMD="java -jar klp-lsp.jar serve" emacs --batch -q -l klp-probe.el livepatch.c
;; (-q, not -Q: Debian's elpa-eglot lives in site-lisp.)  Exit 0 when the ambiguous-symbol diagnostic arrives,
;; the first quick fix is applied, the diagnostics clear and the file is saved.
(require 'eglot)
(require 'flymake)
(require 'cl-lib)

(defun klp-probe-fail (code message &rest args)
  (princ (format "eglot probe: %s\n" (apply #'format message args)) #'external-debugging-output)
  (kill-emacs code))

(defun klp-probe-wait (seconds predicate)
  "Let the server talk until PREDICATE holds or SECONDS pass; return PREDICATE's value."
  (let ((deadline (+ (float-time) seconds)) (value nil))
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun klp-probe-diagnostics ()
  (cl-remove-if-not (lambda (d) (eq (flymake-diagnostic-backend d) 'eglot-flymake-backend))
                    (flymake-diagnostics)))

(setq eglot-server-programs `((c-mode . ,(split-string (getenv "KLP_SERVER_CMD")))))
(setq eglot-sync-connect 30)
(find-file (expand-file-name (or (car command-line-args-left) "livepatch.c")))
(setq command-line-args-left nil)
(c-mode)
(apply #'eglot (eglot--guess-contact))
(unless (eglot-current-server) (klp-probe-fail 9 "eglot did not connect"))
(flymake-mode 1)

(let ((diagnostic (klp-probe-wait 30 (lambda ()
                                        (cl-find-if (lambda (d) (string-match-p "ambiguous-symbol"
                                                                                (flymake-diagnostic-text d)))
                                                    (klp-probe-diagnostics))))))
  (unless diagnostic
    (klp-probe-fail 2 "no ambiguous-symbol diagnostic; got %S" (mapcar #'flymake-diagnostic-text (klp-probe-diagnostics))))
  (princ (format "diagnostic: %s\n" (flymake-diagnostic-text diagnostic)))
  (let* ((actions (eglot-code-actions (flymake-diagnostic-beg diagnostic) (flymake-diagnostic-end diagnostic)))
         (action (car actions)))
    (unless action (klp-probe-fail 3 "no code actions"))
    (unless (string-prefix-p "sympos 1 " (plist-get action :title))
      (klp-probe-fail 4 "unexpected first action %s" (plist-get action :title)))
    (princ (format "applying: %s\n" (plist-get action :title)))
    (eglot--apply-workspace-edit (plist-get action :edit))
    ;; eglot sends didChange from an idle timer, and idle timers never fire in --batch.
    (eglot--signal-textDocument/didChange)
    (unless (klp-probe-wait 30 (lambda () (null (klp-probe-diagnostics))))
      (klp-probe-fail 5 "diagnostics did not clear: %S" (mapcar #'flymake-diagnostic-text (klp-probe-diagnostics))))
    (save-buffer)
    (kill-emacs 0)))
