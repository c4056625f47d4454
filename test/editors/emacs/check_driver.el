;;; check_driver.el --- check on save in Emacs  -*- lexical-binding: t -*-
;; Loaded after the README's init block, in `emacs --batch': visits a module file with a type error,
;; saves it (C-x C-s), waits for the kernel compiler's verdict (source rustc) in flymake, fixes the
;; error, saves again, waits for the check that save started to end and reads what flymake shows then.
;; Writes check.shown and check.after_fix to $RFL_EDITOR_RESULT (the shape of test/editors/runEditor.ts).
(load (expand-file-name "common.el" (file-name-directory load-file-name)) nil t)

(defun rfl-rustc (buffer) (rfl-shown buffer "rustc"))

(defvar rfl-clean-checks 0
  "How many checks the server said ended with no error (its window/logMessage \"check NAME: 0 errors, ...\").")

;; Editing the wrong line already drops its diagnostic (the server drops verdicts on edited lines), so
;; an empty list after the fix proves nothing until the check of the saved fix has published. The server
;; logs its summary after publishing a check; only the fixed text checks with 0 errors, so counting those
;; cannot mistake a late check of the old text for it.
(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql window/logMessage)) &key message &allow-other-keys)
  (when (string-match-p "\\`check [^ ]+: 0 errors, " message)
    (cl-incf rfl-clean-checks)))

(defun rfl-save (buffer)
  "Save BUFFER as C-x C-s does (eglot sends didSave from `after-save-hook')."
  (with-current-buffer buffer
    (set-buffer-modified-p t)
    (save-buffer)
    (run-hooks 'post-command-hook)))

(defun rfl-server-log ()
  "The end of the language server's stderr as eglot keeps it, for a failure's message."
  (let (text)
    (dolist (buffer (buffer-list))
      (when (string-match-p "EGLOT.*stderr" (buffer-name buffer))
        (with-current-buffer buffer
          (setq text (buffer-substring-no-properties (max (point-min) (- (point-max) 3000)) (point-max))))))
    (or text "(no server stderr buffer)")))

(defun rfl-run ()
  (let ((buffer (rfl-visit (getenv "RFL_EDITOR_CHECK_FILE")))
        (line (string-to-number (getenv "RFL_EDITOR_CHECK_LINE")))
        shown shown-after clean)
    (rfl-wait-for "eglot to connect" (lambda () (with-current-buffer buffer (eglot-current-server))))
    (rfl-save buffer)
    (rfl-wait-for "rustc diagnostics after the save" (lambda () (rfl-rustc buffer)))
    (setq shown (rfl-rustc buffer)
          shown-after (round (* 1000 (- (float-time) rfl-started))))
    ;; The fix: the wrong string literal becomes a number.
    (with-current-buffer buffer
      (goto-char (point-min))
      (forward-line line)
      (unless (search-forward "\"three\"" (line-end-position) t)
        (error "Line %d has no \"three\" to fix: %s" line (buffer-substring (line-beginning-position) (line-end-position))))
      (replace-match "3" t t))
    (setq clean rfl-clean-checks)
    (rfl-save buffer)
    (rfl-wait-for "a check with 0 errors after the saved fix" (lambda () (> rfl-clean-checks clean)))
    ;; Its diagnostics were published before it said so, and eglot hands them to flymake as they come;
    ;; a little grace for flymake, then what it shows is the verdict (the test wants none).
    (let ((deadline (+ (float-time) 5)))
      (while (and (rfl-rustc buffer) (< (float-time) deadline))
        (rfl-be-idle)
        (accept-process-output nil 0.02)))
    `((editor . ,(format "Emacs %s" emacs-version))
      (check . ((shown . ,(vconcat shown)) (shown_after_ms . ,shown-after) (after_fix . ,(vconcat (rfl-rustc buffer))))))))

(let (result failure)
  (condition-case err
      (setq result (rfl-run))
    (error (setq failure (format "%s; the server's log ends:\n%s" (error-message-string err) (rfl-server-log)))))
  (push '(snapshots . []) result)
  (when failure (push `(error . ,failure) result))
  (unless (assq 'editor result) (push `(editor . ,(format "Emacs %s" emacs-version)) result))
  (with-temp-file rfl-result-file
    (let ((json-encoding-pretty-print nil)) (insert (json-encode result))))
  (kill-emacs (if failure 1 0)))
