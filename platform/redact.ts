/**
 * graphql-js echoes the offending variable value in its coercion errors ("Variable "$input" got
 * invalid value { insured: { firstName: … } }; …"). That value can be personal data, and errors
 * must carry none: keep the variable, the path and the reason, drop every value.
 */
const VARIABLE_ERROR = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" got invalid value /;

/** Quoted strings and bare literals (numbers whole, 12.5 too) after words that introduce a value, inside the reason. */
const VALUE_AFTER =
  /\b(found|value|Value|represent[^:]*:)\s*("(?:[^"\\]|\\.)*"|\{[^}]*\}|\[[^\]]*\]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[^\s;,.]+)/g;

/**
 * An input object's unknown key is part of the value: repeated only when it could be a field name
 * at all (a typo worth showing), hidden when it cannot (an email, a name with spaces, an SSN).
 */
const UNKNOWN_FIELD = /\bField "((?:[^"\\]|\\.)*)" is not defined by type/g;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

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
  const hidden = reason
    .replace(VALUE_AFTER, '$1 (value hidden)')
    .replace(UNKNOWN_FIELD, (whole, name: string) => (GRAPHQL_NAME.test(name) ? whole : 'Field (name hidden) is not defined by type'));
  return `${variable}${path ? ` at "${path[1]}"` : ''}; ${hidden}`;
}
