using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>
    /// What every DropboxProvisioning cmdlet shares: engine errors become ErrorRecords with a
    /// "&lt;Cmdlet&gt;&lt;Condition&gt;" id and a category; engine work runs off the pipeline thread while
    /// its progress, verbose and warning messages are written from the pipeline thread; Ctrl+C cancels it.
    /// </summary>
    public abstract class DbxCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>The error id prefix: the cmdlet's name without the dash (ConnectDbxTenant).</summary>
        protected string ErrorPrefix
        {
            get
            {
                var attribute = (CmdletAttribute)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute));
                return attribute == null ? GetType().Name : attribute.VerbName + attribute.NounName;
            }
        }

        protected CancellationToken Cancellation => _stopping.Token;

        /// <summary>-WhatIf, given or inherited through $WhatIfPreference: nothing, not even the state or its lock, is written.</summary>
        protected bool IsWhatIf =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) ? ((SwitchParameter)value).IsPresent
            : GetVariableValue("WhatIfPreference") is SwitchParameter preference ? preference.IsPresent
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        protected override void StopProcessing() => _stopping.Cancel();

        // The one place engine errors become ErrorRecords: each step runs inside Guard, so a DbxException (or a file
        // system failure) thrown anywhere below a cmdlet ends it with "<Cmdlet><Condition>", a category and the fix.
        protected sealed override void BeginProcessing() => Guard(OnBeginProcessing);
        protected sealed override void ProcessRecord() => Guard(OnProcessRecord);
        protected sealed override void EndProcessing() => Guard(OnEndProcessing);

        protected virtual void OnBeginProcessing() { }
        protected virtual void OnProcessRecord() { }
        protected virtual void OnEndProcessing() { }

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (DbxException e)
            {
                ThrowTerminating(e);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is System.Security.SecurityException)
            {
                var denied = !(e is System.IO.IOException);
                ThrowTerminatingError(WithFix(new ErrorRecord(e, ErrorPrefix + (denied ? "AccessDenied" : "FileSystemError"),
                    denied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, null),
                    "Check that this account can read and write the path in the message (the job's state directory is -StatePath)."));
            }
        }

        protected ErrorRecord ToErrorRecord(DbxException e) =>
            WithFix(new ErrorRecord(e, ErrorPrefix + e.Condition, Map(e.Category), e.Target), e.RecommendedAction);

        protected void ThrowTerminating(DbxException e) => ThrowTerminatingError(ToErrorRecord(e));

        /// <summary>For helpers outside the cmdlet class: the same as ThrowTerminating.</summary>
        internal void Fail(string condition, ErrorCategory category, string message, object target) => ThrowTerminating(condition, category, message, target);

        protected void ThrowTerminating(string condition, ErrorCategory category, string message, object target = null) =>
            ThrowTerminatingError(Record(condition, category, Errors.Redaction.Text(message), target is string text ? Errors.Redaction.Text(text) : target));

        /// <summary>An ErrorRecord of this cmdlet for a condition it finds itself, with the condition's usual fix.</summary>
        protected ErrorRecord Record(string condition, ErrorCategory category, string message, object target = null, Exception exception = null) =>
            WithFix(new ErrorRecord(exception ?? new PSArgumentException(message), ErrorPrefix + condition, category, target), RecommendedActions.For(condition));

        /// <summary>Sets ErrorDetails.RecommendedAction (the message stays the exception's).</summary>
        protected static ErrorRecord WithFix(ErrorRecord record, string recommendedAction)
        {
            if (recommendedAction != null)
                record.ErrorDetails = new ErrorDetails(record.Exception.Message) { RecommendedAction = recommendedAction };
            return record;
        }

        /// <summary>
        /// The session object given as a parameter, else the runspace's current one of its kind; terminates with
        /// NotConnected (and <paramref name="notConnected"/>, which says how to connect) when there is neither.
        /// </summary>
        protected T RequireSession<T>(T given, string notConnected) where T : class
        {
            var session = given ?? RunspaceSessions<T>.Current;
            if (session == null) ThrowTerminating("NotConnected", ErrorCategory.ConnectionError, notConnected);
            return session;
        }

        protected void WriteNonTerminating(DbxException e) => WriteError(ToErrorRecord(e));

        /// <summary>A -Path given to a file cmdlet as a file system path; a path that cannot be one (a NUL character, an unknown drive) stops with InvalidPath.</summary>
        protected string ResolvePath(string path)
        {
            try
            {
                var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                if (resolved.IndexOf('\0') >= 0 || resolved.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0) throw new ArgumentException("the path holds a character no file name may have");
                return System.IO.Path.GetFullPath(resolved);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is System.IO.PathTooLongException || e is ItemNotFoundException || e is ProviderNotFoundException || e is DriveNotFoundException || e is ProviderInvocationException)
            {
                ThrowTerminating("InvalidPath", ErrorCategory.InvalidArgument, $"'{path.Replace("\0", "\\0")}' is not a usable file path: {e.Message}", path);
                return null;
            }
        }

        /// <summary>
        /// A warning about what the admin asked for (an id that names nothing, nothing to approve). Under -Debug PowerShell
        /// turns warnings into a prompt; a host that cannot prompt (a runbook, an embedded runspace) would fail the command
        /// on it, so there the warning is written to the verbose and debug streams instead.
        /// </summary>
        protected void WriteNotice(string message)
        {
            var bound = MyInvocation.BoundParameters;
            var cannotPrompt = Host == null || Host.UI == null || Host.Name == "Default Host" || Host.Name == "ServerRemoteHost";
            if (bound.ContainsKey("Debug") && !bound.ContainsKey("WarningAction") && cannotPrompt)
            {
                WriteVerbose("WARNING: " + message);
                return;
            }
            WriteWarning(message);
        }

        /// <summary>
        /// Runs engine work on the thread pool and pumps its messages onto this thread until it ends.
        /// Engine errors propagate to Guard; a stop request cancels the work.
        /// </summary>
        protected T RunEngine<T>(Func<ICycleObserver, CancellationToken, Task<T>> work)
        {
            using (var messages = new BlockingCollection<Action>())
            {
                void Post(Action action)
                {
                    try { messages.Add(action); } catch (InvalidOperationException) { } // the work is over
                }
                var observer = new QueuedObserver(Post, WriteProgress, WriteVerbose, WriteWarning, 1);
                var task = Task.Run(() => work(observer, _stopping.Token));
                task.ContinueWith(_ => messages.CompleteAdding(), TaskScheduler.Default);
                foreach (var message in messages.GetConsumingEnumerable())
                {
                    if (!_stopping.IsCancellationRequested) message();
                }
                WriteProgress(new ProgressRecord(1, "DropboxProvisioning", "Done") { RecordType = ProgressRecordType.Completed });
                try
                {
                    return task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }
        }

        private static ErrorCategory Map(DbxErrorCategory category) =>
            Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;

        /// <summary>Turns observer calls from worker threads into queued actions the pipeline thread runs.</summary>
        private sealed class QueuedObserver : ICycleObserver
        {
            private readonly Action<Action> _post;
            private readonly Action<ProgressRecord> _progress;
            private readonly Action<string> _verbose;
            private readonly Action<string> _warning;
            private readonly int _activityId;

            public QueuedObserver(Action<Action> post, Action<ProgressRecord> progress, Action<string> verbose, Action<string> warning, int activityId)
            {
                _post = post; _progress = progress; _verbose = verbose; _warning = warning; _activityId = activityId;
            }

            public void Progress(string activity, string status, int percentComplete) =>
                _post(() => _progress(new ProgressRecord(_activityId, activity, status) { PercentComplete = Math.Min(100, percentComplete) }));
            public void Verbose(string message) => _post(() => _verbose(message));
            public void Warning(string message) => _post(() => _warning(message));
        }
    }
}
