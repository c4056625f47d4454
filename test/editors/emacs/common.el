;;; common.el --- what the Emacs drivers of the editor tier share  -*- lexical-binding: t -*-
;; Waiting as the command loop would, visiting a file as a user does, and reading what flymake shows.
(require 'cl-lib)
(require 'json)
(require 'eglot)
(require 'flymake)

(defvar rfl-result-file (getenv "RFL_EDITOR_RESULT"))
(defvar rfl-limit (/ (string-to-number (or (getenv "RFL_EDITOR_WAIT_MS") "20000")) 1000.0))
(defvar rfl-started (float-time))

(defun rfl-shown (buffer source)
  "The diagnostics of SOURCE as BUFFER shows them: 0-based line, column in characters, LSP code and severity."
  (with-current-buffer buffer
    (let (shown)
      (dolist (d (flymake-diagnostics))
        (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
          (when (equal (plist-get lsp :source) source)
            (save-excursion
              (goto-char (flymake-diagnostic-beg d))
              (push `((line . ,(1- (line-number-at-pos)))
                      (column . ,(- (point) (line-beginning-position)))
                      (code . ,(plist-get lsp :code))
                      (severity . ,(plist-get lsp :severity))
                      (message . ,(plist-get lsp :message)))
                    shown)))))
      (sort shown (lambda (a b) (or (< (alist-get 'line a) (alist-get 'line b))
                                    (and (= (alist-get 'line a) (alist-get 'line b))
                                         (< (alist-get 'column a) (alist-get 'column b)))))))))

(defun rfl-be-idle ()
  "Run the one-shot idle timers, as the command loop does once the user stops typing.
Batch mode never does, and eglot sends didChange and flymake re-checks from such timers.
Repeating ones (eldoc's) are left alone: they would run on every poll."
  (dolist (timer (copy-sequence timer-idle-list))
    (unless (timer--repeat-delay timer)
      (timer-event-handler timer))))

(defun rfl-wait-for (what condition)
  "Process events, idle, until CONDITION holds; fail naming WHAT after the time limit."
  (let ((deadline (+ (float-time) rfl-limit)))
    (while (not (funcall condition))
      (when (> (float-time) deadline)
        (error "Timed out after %s s waiting for %s" rfl-limit what))
      (rfl-be-idle)
      (accept-process-output nil 0.02))))

(defun rfl-visit (file)
  "Visit FILE as `C-x C-f' would, and end the command so that `eglot-ensure' connects."
  ;; Shown in the window, as `find-file' does: flymake starts only in a buffer that is on display, when
  ;; redisplay runs the window-change hooks (which batch mode never does by itself).
  (let ((buffer (find-file file)))
    (run-window-configuration-change-hook)
    (run-hooks 'post-command-hook)
    buffer))

