using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Commands.Activity
{
    /// <summary>A cmdlet that reads the activity log: -ActivityConnection, or the runspace's current one (Connect-DbxActivity).</summary>
    public abstract class DbxActivityCmdlet : DbxCmdlet
    {
        /// <summary>The activity connection to use instead of the current one.</summary>
        [Parameter]
        [ValidateNotNull]
        public ActivityConnection ActivityConnection { get; set; }

        private readonly ConcurrentQueue<Action> _messages = new ConcurrentQueue<Action>();

        protected ActivityConnection RequireActivityConnection()
        {
            var connection = ActivityConnection ?? RunspaceSessions<ActivityConnection>.Current;
            if (connection == null)
                ThrowTerminating("NotConnected", ErrorCategory.ConnectionError,
                    "There is no activity connection in this session. Run Connect-DbxActivity first (after Connect-DbxTenant -Sandbox, Connect-DbxActivity -Sandbox), or pass -ActivityConnection.");
            return connection;
        }

        /// <summary>Queues a message from a worker thread; <see cref="Flush"/> writes it from the pipeline thread.</summary>
        protected void PostVerbose(string message) => _messages.Enqueue(() => WriteVerbose(message));
        protected void PostWarning(string message) => _messages.Enqueue(() => WriteWarning(message));

        protected void Flush()
        {
            while (_messages.TryDequeue(out var message)) message();
        }

        /// <summary>Waits for engine work on the pipeline thread; Ctrl+C cancels it, engine errors terminate with their id.</summary>
        protected T Wait<T>(Task<T> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (DbxException e)
            {
                Flush();
                ThrowTerminating(e);
                throw;
            }
            finally
            {
                Flush();
            }
        }
    }
}
