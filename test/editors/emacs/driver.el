;;; driver.el --- drives Emacs through the editor tier's steps  -*- lexical-binding: t -*-
;; Loaded after the README's init block, in `emacs --batch': opens the fixtures as a user would (eglot
;; starts from `eglot-ensure' when the command that visited the file ends, so the driver runs
;; `post-command-hook' as the command loop would), picks the SAFETY fix from `M-x eglot-code-actions',
;; and writes what Emacs shows to $RFL_EDITOR_RESULT as JSON (the shape of test/editors/runEditor.ts).
;; Every wait polls Emacs's own state up to $RFL_EDITOR_WAIT_MS; the test asserts.
(load (expand-file-name "common.el" (file-name-directory load-file-name)) nil t)

(defvar rfl-source "rust-for-linux")
(defvar rfl-safety-fix "Add a `// SAFETY:` comment")
(defvar rfl-snapshots nil "Our diagnostics after each publish, newest first.")
(defvar rfl-offered nil "Code-action titles the menu offered.")
(defvar rfl-timings nil)
(defun rfl-mark (step) (push (cons step (round (* 1000 (- (float-time) rfl-started)))) rfl-timings))

(defun rfl-ours (buffer)
  "Our diagnostics as BUFFER shows them."
  (rfl-shown buffer rfl-source))

(defun rfl-count (buffer code)
  (cl-count code (rfl-ours buffer) :key (lambda (d) (alist-get 'code d)) :test #'equal))

;; A snapshot whenever flymake is handed a publish (eglot reports them from its handler).
(advice-add 'eglot-handle-notification :after
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (let ((buffer (find-buffer-visiting (eglot--uri-to-path (plist-get params :uri)))))
                  (when buffer
                    (push `((file . ,(file-name-nondirectory (buffer-file-name buffer)))
                            (diagnostics . ,(vconcat (rfl-ours buffer))))
                          rfl-snapshots))))))

(defun rfl-quick-fix (buffer diagnostic)
  "Pick the SAFETY fix for DIAGNOSTIC from `M-x eglot-code-actions' in BUFFER."
  (with-current-buffer buffer
    (let ((tick (buffer-chars-modified-tick))
          (before (rfl-count buffer "undocumented_unsafe_blocks"))
          ;; Typed from the keyboard (RET): the menu is a `completing-read', not a mouse menu.
          (last-nonmenu-event 13))
      (goto-char (point-min))
      (forward-line (alist-get 'line diagnostic))
      (forward-char (alist-get 'column diagnostic))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (_prompt items &rest _)
                   (dolist (item items) (push (car item) rfl-offered))
                   rfl-safety-fix)))
        (call-interactively #'eglot-code-actions))
      (rfl-wait-for "the quick fix to change the buffer" (lambda () (/= tick (buffer-chars-modified-tick))))
      (rfl-wait-for "diagnostics of the fixed text"
                    (lambda () (< (rfl-count buffer "undocumented_unsafe_blocks") before))))))

(defun rfl-run ()
  (let* ((module (rfl-visit (getenv "RFL_EDITOR_MODULE_FILE")))
         (safety (rfl-visit (getenv "RFL_EDITOR_SAFETY_FILE")))
         (result `((editor . ,(format "Emacs %s, eglot %s" emacs-version
                                      (or (ignore-errors (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))) "built in"))))))
    (rfl-wait-for "diagnostics of the SAFETY fixture" (lambda () (rfl-ours safety)))
    (rfl-wait-for "diagnostics of the module! fixture" (lambda () (rfl-ours module)))
    (rfl-mark 'diagnostics)
    (push `(module . ((diagnostics . ,(vconcat (rfl-ours module))))) result)
    (let ((initial (rfl-ours safety)) fix-error)
      ;; Bottom-up, so that each fix leaves the lines of the ones above it where they were. A fix that
      ;; fails is recorded, not fatal: the other steps still report what Emacs shows.
      (condition-case err
          (dolist (d (reverse initial))
            (when (equal (alist-get 'code d) "undocumented_unsafe_blocks")
              (rfl-quick-fix safety d)))
        (error (setq fix-error (error-message-string err))))
      (push `(safety . ((initial . ,(vconcat initial))
                        (offered . ,(vconcat (reverse rfl-offered)))
                        (fix_error . ,fix-error)
                        (text . ,(with-current-buffer safety (buffer-substring-no-properties (point-min) (point-max))))
                        (final . ,(vconcat (rfl-ours safety)))))
            result))
    (rfl-mark 'fixed)
    ;; Done, as a user ends the session: M-x eglot-shutdown (shutdown, then exit) must succeed.
    (let ((server (with-current-buffer safety (eglot--current-server-or-lose))))
      (push `(shutdown . ((error . ,(condition-case err (progn (eglot-shutdown server) nil)
                                      (error (error-message-string err))))
                          (alive . ,(if (process-live-p (jsonrpc--process server)) t :json-false))))
            result))
    (rfl-mark 'shutdown)
    result))

(let (result failure)
  (condition-case err
      (setq result (rfl-run))
    (error (setq failure (error-message-string err))))
  (push `(snapshots . ,(vconcat (reverse rfl-snapshots))) result)
  (push `(timings . ,rfl-timings) result)
  (when failure (push `(error . ,failure) result))
  (unless (assq 'editor result) (push `(editor . ,(format "Emacs %s" emacs-version)) result))
  (with-temp-file rfl-result-file
    (let ((json-encoding-pretty-print nil)) (insert (json-encode result))))
  (kill-emacs (if failure 1 0)))
