/**
 * graphql-js echoes the offending variable value in its coercion errors ("Variable "$input" got
 * invalid value { insured: { firstName: … } }; …"). That value can be personal data, and errors
 * must carry none: keep the variable, the path and the reason, drop every value.
 */
const VARIABLE_ERROR = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" got invalid value /;

/** Quoted strings and bare literals after words that introduce a value, inside the reason. */
const VALUE_AFTER = /\b(found|value|Value|represent[^:]*:)\s*("(?:[^"\\]|\\.)*"|\{[^}]*\}|\[[^\]]*\]|[^\s;,.]+)/g;

/**
 * `reason` is the coercion error's own message (GraphQLError.originalError.message), which
 * graphql-js appends after "; ": knowing it, the value before it can be cut out exactly.
 */
export function redactVariableError(message: string, reason?: string): string {
  const head = VARIABLE_ERROR.exec(message);
  if (!head) return message;
  const variable = `Variable "$${head[1]}" got invalid value`;
  if (!reason || !message.endsWith(`; ${reason}`)) return variable;
  const before = message.slice(0, message.length - reason.length - 2);
  const path = / at "([A-Za-z0-9_.[\]$]+)"$/.exec(before);
  return `${variable}${path ? ` at "${path[1]}"` : ''}; ${reason.replace(VALUE_AFTER, '$1 (value hidden)')}`;
}
