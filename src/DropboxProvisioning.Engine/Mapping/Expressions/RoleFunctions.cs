using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>SingleAppRoleAssignment, AppRoleAssignmentsComplex and AssertiveAppRoleAssignmentsComplex over [appRoleAssignments].</summary>
    internal static class RoleFunctions
    {
        /// <summary>
        /// One role, marked primary. Entra gives "no guarantee which role" when several are assigned; we take the first
        /// in source order so the result is at least stable.
        /// </summary>
        public static object SingleAppRoleAssignment(FunctionNode call, in EvaluationScope scope)
        {
            var assignments = Assignments(call, scope);
            if (assignments == null || assignments.Count == 0)
            {
                return null;
            }

            var first = assignments[0];
            return new RoleValue(true, first.DisplayName, first.Value, first.AppRoleId);
        }

        /// <summary>Every role, primary = false, PATCH "add" semantics.</summary>
        public static object AppRoleAssignmentsComplex(FunctionNode call, in EvaluationScope scope) => Complex(call, scope, false);

        /// <summary>Every role, primary = false, PATCH "replace" semantics (removes roles not assigned in Entra).</summary>
        public static object AssertiveAppRoleAssignmentsComplex(FunctionNode call, in EvaluationScope scope) => Complex(call, scope, true);

        private static object Complex(FunctionNode call, in EvaluationScope scope, bool assertive)
        {
            var assignments = Assignments(call, scope);
            if (assignments == null)
            {
                return null;
            }

            // A role reached both directly and through a group is one role.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var roles = new List<RoleValue>(assignments.Count);
            foreach (var assignment in assignments)
            {
                if (assignment != null && seen.Add(assignment.AppRoleId + "\n" + assignment.Value))
                {
                    roles.Add(new RoleValue(false, assignment.DisplayName, assignment.Value, assignment.AppRoleId));
                }
            }

            return new AppRoleAssignmentsResult(roles, assertive);
        }

        private static IReadOnlyList<AppRoleAssignmentValue> Assignments(FunctionNode call, in EvaluationScope scope)
        {
            switch (call.Arg(0, scope))
            {
                case null: return null;
                case IReadOnlyList<AppRoleAssignmentValue> list: return list;
                case AppRoleAssignmentValue single: return new[] { single };
                default:
                    throw Values.InvalidArgument($"{call.Function.Name} expects the [appRoleAssignments] attribute", call.ArgPosition(0));
            }
        }
    }
}
