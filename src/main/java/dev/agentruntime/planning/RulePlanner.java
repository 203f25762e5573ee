package dev.agentruntime.planning;

import dev.agentruntime.run.PlanProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.tools.calculator.CalculatorTool;
import dev.agentruntime.tools.todo.TodoTool;
import dev.agentruntime.tools.wait.WaitTool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans without a model: splits the prompt into clauses at "and", "then", "and then", "," and ";", and maps each
 * clause to one tool call with a small set of patterns. A fragment that maps to nothing is glued back onto the
 * clause before it, so "add todo to buy milk and eggs" stays one todo. "The result" (or "it") refers to the step
 * before through a {@code {{steps.N.output}}} placeholder.
 */
@ApplicationScoped
public class RulePlanner {

    /** What the runtime understands, for the 422 a prompt that maps to nothing gets. */
    public static final String CAPABILITIES = "I can calculate (\"calculate (10 + 5) * 2\"), add a todo "
            + "(\"add todo to buy milk\"), list todos (\"show all my tasks\"), complete or delete a todo "
            + "(\"complete todo <id>\", \"delete todo <id>\"), wait (\"wait 2 seconds\"), call any tool by name "
            + "(call calculator with {\"expression\": \"1 + 1\"}), and chain these with \"and\", \"then\" or \";\" "
            + "(\"calculate 100 / 4 and add the result as a todo\")";

    /** The most of a prompt a refusal quotes: a client's prompt of any length must not come back whole. */
    private static final int MAX_QUOTED_CHARS = 100;
    private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    /** Join words that may follow a ";" or "," as well: "calculate 2 + 2; and then list my todos". */
    private static final String JOIN = "(?:(?:and\\s+then|and|then|after\\s+that)\\s+(?:also\\s+)?|also\\s+)";

    // Compiled once: the planner runs per request (String.replaceAll would compile each pattern per call).
    private static final Pattern CLAUSE_END = Pattern.compile("[.!?]+$");
    private static final Pattern TRAILING_MARKS = Pattern.compile("[?!=]+$");
    private static final Pattern DIVIDED_BY = Pattern.compile("(?i)\\s*\\b(?:divided\\s+by|over)\\b\\s*");
    private static final Pattern MULTIPLIED_BY = Pattern.compile("(?i)\\s*\\b(?:multiplied\\s+by|times)\\b\\s*");
    private static final Pattern PLUS = Pattern.compile("(?i)\\s*\\bplus\\b\\s*");
    private static final Pattern MINUS = Pattern.compile("(?i)\\s*\\bminus\\b\\s*");
    private static final Pattern SPACED_X = Pattern.compile("(?<=[\\d)])\\s+[xX]\\s+(?=[\\d(-])");
    // "3x4" too, but not "0x10": that is a hexadecimal number, which the calculator does not take.
    private static final Pattern JOINED_X = Pattern.compile("(?<=[\\d)])(?<!\\b0)[xX](?=[\\d(-])");

    /** Separators between clauses (not the comma in "1,000"); kept so glued fragments read as written. */
    private static final Pattern SEPARATOR = Pattern.compile(
            "((?:\\s*;\\s*|\\s*(?:(?<!\\d),|,(?!\\d))\\s*)" + JOIN + "?|\\s+and\\s+then\\s+(?:also\\s+)?"
                    + "|\\s+then\\s+(?:also\\s+)?|\\s+and\\s+(?:also\\s+)?|\\s+after\\s+that\\s+)", F);

    /** A verb followed by ":" or a dash, "calculate: 2 + 2", reads like the verb alone. */
    private static final Pattern VERB_PUNCTUATION = Pattern.compile("^(\\p{L}+(?:\\s+(?:me|todo|task))?)\\s*[:\\-–—]+\\s+",
            F);

    private static final String REF = "(?:the\\s+(?:previous\\s+|last\\s+)?result|that\\s+result|it|that|this)";
    private static final String TODO_WORD = "(?:todos?|to-dos?|to\\s+dos?|tasks?|reminders?|items?)";
    private static final String POLITE = "(?:(?:please|pls|now|also|finally|next)\\s+|can\\s+you\\s+|could\\s+you\\s+)*";

    private static final Pattern CALCULATE = Pattern.compile("^" + POLITE
            + "(?:calculate|calc|compute|evaluate|eval|solve|work\\s+out|figure\\s+out|what(?:'s|\\s+is)|whats"
            + "|how\\s+much\\s+is)\\s+(.+)$", F);
    private static final Pattern RESULT_TIMES = Pattern.compile("^" + POLITE
            + "(multiply|divide)\\s+" + REF + "\\s+by\\s+(.+)$", F);
    private static final Pattern RESULT_PLUS = Pattern.compile("^" + POLITE + "add\\s+(.+?)\\s+to\\s+" + REF + "$", F);
    private static final Pattern RESULT_MINUS = Pattern.compile("^" + POLITE
            + "subtract\\s+(.+?)\\s+from\\s+" + REF + "$", F);

    private static final Pattern ADD_RESULT = Pattern.compile("^" + POLITE
            + "(?:add|save|put|store|record|keep)\\s+" + REF
            + "\\s+(?:as|to|in|into|on)\\s+(?:a\\s+(?:new\\s+)?|an\\s+|my\\s+|the\\s+)?" + TODO_WORD
            + "(?:\\s+list)?$", F);
    private static final Pattern ADD_TODO = Pattern.compile("^" + POLITE
            + "(?:add|create|make|new|put|save)\\s+(?:a\\s+|an\\s+|the\\s+|one\\s+)?(?:new\\s+)?" + TODO_WORD
            + "(?:\\s+item)?(?:\\s*[:\\-]\\s*|\\s+(?:to|for|called|named|saying|that\\s+says|about)\\s+|\\s+)(.+)$", F);
    private static final Pattern ADD_TO_LIST = Pattern.compile("^" + POLITE
            + "(?:add|put)\\s+(.+?)\\s+(?:to|on)\\s+(?:my\\s+|the\\s+)?" + TODO_WORD + "(?:\\s+list)?$", F);
    private static final Pattern REMIND = Pattern.compile("^" + POLITE
            + "(?:remind\\s+me|don'?t\\s+let\\s+me\\s+forget|jot\\s+down|note\\s+down)"
            + "\\s+(?:to\\s+|about\\s+|of\\s+|that\\s+)?(.+)$", F);
    private static final Pattern TODO_COLON = Pattern.compile("^" + TODO_WORD + "\\s*:\\s*(.+)$", F);
    /** The todo first, then what to do with it: "buy milk: add it to my list", "buy milk as a new task". */
    private static final Pattern TODO_FIRST = Pattern.compile("^(.+?)(?:\\s*[:\\-–—]\\s*(?:add|put)(?:\\s+(?:it|this|that))?"
            + "\\s+(?:to|on)|\\s+(?:needs\\s+to\\s+go|should\\s+go|goes)\\s+(?:on|in|into|to))\\s+(?:my\\s+|the\\s+)?"
            + "(?:" + TODO_WORD + "(?:\\s+list)?|list)$|^(?!(?:add|save|put|store|record|keep|create|make)\\b)(.+?)\\s+as\\s+an?\\s+"
            + "(?:new\\s+)?" + TODO_WORD + "$", F);

    private static final Pattern LIST = Pattern.compile("^" + POLITE
            + "(?:how\\s+many\\s+" + TODO_WORD + "\\s+(?:do\\s+i\\s+have|are\\s+there)"
            + "|(?:list|show|display|view|get|see|print|give|tell)(?:\\s+me)?\\s+(?:all\\s+)?(?:of\\s+)?"
            + "(?:my\\s+|the\\s+|our\\s+)?(?:current\\s+|open\\s+|pending\\s+)?" + TODO_WORD + "(?:\\s+list)?"
            + "|ls\\s+(?:my\\s+)?" + TODO_WORD
            // Questions about pending work: "what do I still have to do?", "what's left to do?", "anything pending?"
            + "|what\\s+(?:do\\s+i|have\\s+i)\\s+(?:still\\s+)?(?:got\\s+|have\\s+|need\\s+)?to\\s+do"
            + "|what(?:'s|\\s+is|s)\\s+(?:left|pending|open|outstanding|still\\s+open)(?:\\s+to\\s+do)?"
            + "|(?:is\\s+there\\s+)?anything\\s+(?:left|pending|open|outstanding)(?:\\s+to\\s+do)?"
            + "|(?:which|what)\\s+" + TODO_WORD + "\\s+(?:are|is)\\s+(?:still\\s+)?(?:open|pending|left|outstanding|not\\s+done)"
            + "|do\\s+i\\s+have\\s+(?:any\\s+)?(?:open|pending|outstanding)\\s+" + TODO_WORD
            + "|what(?:'s|\\s+is|\\s+are|s)\\s+(?:on\\s+|in\\s+)?(?:my\\s+|the\\s+|our\\s+)?" + TODO_WORD
            + "(?:\\s+list)?|(?:my\\s+)?" + TODO_WORD + "(?:\\s+list)?)$", F);

    /** A tool name: letters, digits, '_', '-' and '.', as MCP servers name theirs (with the server as a prefix). */
    private static final String TOOL_NAME = "([A-Za-z][A-Za-z0-9_.-]{0,127})";
    private static final Pattern CALL = Pattern.compile("^" + POLITE + "(?:call|use|run)\\s+(?:the\\s+)?(?:tool\\s+)?"
            + TOOL_NAME + "\\s+with\\s+(\\{.*\\})\\s*[.!]?$", F | Pattern.DOTALL);
    private static final Pattern CALL_START = Pattern.compile("(?:call|use|run)\\s+(?:the\\s+)?(?:tool\\s+)?"
            + TOOL_NAME + "\\s+with\\s+\\{", F);

    private static final Pattern WAIT = Pattern.compile("^" + POLITE
            + "(?:wait|sleep|pause)(?:\\s+for)?\\s+(\\d+(?:\\.\\d+)?)\\s*"
            + "(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)$", F);

    private static final String ID = "([A-Za-z0-9{}._-]+)";
    private static final Pattern COMPLETE = Pattern.compile("^" + POLITE
            + "(?:complete|finish|close|check\\s+off|tick\\s+off|resolve)\\s+(?:the\\s+)?(" + TODO_WORD + "\\s+)?"
            + ID + "$", F);
    private static final Pattern MARK_DONE = Pattern.compile("^" + POLITE
            + "mark\\s+(?:the\\s+)?(" + TODO_WORD + "\\s+)?" + ID
            + "\\s+(?:as\\s+)?(?:done|complete|completed|finished)$", F);
    private static final Pattern DELETE = Pattern.compile("^" + POLITE
            + "(?:delete|del|remove|rm|drop|discard|erase|get\\s+rid\\s+of)\\s+(?:the\\s+)?(" + TODO_WORD + "\\s+)?" + ID + "$", F);
    private static final Set<String> NOT_AN_ID = Set.of("todo", "todos", "task", "tasks", "item", "items", "a",
            "the", "all", "my");

    private final ObjectMapper mapper;

    public RulePlanner(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @throws PlanningException with reason {@code unplannable} when some part of the prompt maps to no tool
     */
    public Plan plan(String prompt) {
        String text = prompt.strip();
        // The JSON of "call <tool> with {…}" is kept whole: a separator inside it ("a, b") splits nothing.
        List<int[]> inputs = callInputs(text);
        // Only references this planner writes may be resolved: free text the user typed is copied into tool input
        // as is, so a "{{steps.1.output}}" in it would be expanded at run time as if the planner had made it. In the
        // input of an explicit call the user writes the plan's own syntax, references included.
        if ((text.contains("{{") || text.contains("}}")) && hasBraces(outside(text, inputs))) {
            throw new PlanningException(PlanProblem.UNPLANNABLE, "\"{{\" and \"}}\" mark references between "
                    + "steps and cannot appear in a prompt outside the input of a \"call <tool> with {…}\"; leave "
                    + "them out. " + CAPABILITIES + ".");
        }
        List<String> parts = new ArrayList<>();
        List<String> separators = new ArrayList<>();
        Matcher m = SEPARATOR.matcher(text);
        int from = 0;
        while (m.find()) {
            if (!inputs.isEmpty() && within(m.start(), inputs)) {
                continue;
            }
            parts.add(text.substring(from, m.start()));
            separators.add(m.group(1));
            from = m.end();
        }
        parts.add(text.substring(from));

        List<String> clauses = new ArrayList<>();
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (part.isBlank()) {
                continue;
            }
            Optional<PlanStep> step = interpret(part, steps.size() + 1, steps);
            // A fragment is glued back ("buy milk and eggs") unless it is a command of its own that failed to plan
            // ("multiply the result by 3" with no calculation before it): that is refused, not typed into a todo.
            if (step.isPresent() || clauses.isEmpty() || isCommand(part)) {
                clauses.add(part);
                steps.add(step.orElse(null));
                continue;
            }
            // "buy milk and eggs": the fragment belongs to the clause before it.
            int last = clauses.size() - 1;
            String glued = clauses.get(last) + separators.get(i - 1) + part;
            clauses.set(last, glued);
            steps.set(last, interpret(glued, last + 1, steps.subList(0, last)).orElse(null));
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) == null) {
                throw new PlanningException(PlanProblem.UNPLANNABLE,
                        "I could not map \"" + quoted(clauses.get(i).strip()) + "\" to a tool. " + CAPABILITIES
                                + ".");
            }
        }
        if (steps.isEmpty()) {
            throw new PlanningException(PlanProblem.UNPLANNABLE, "The prompt is empty. " + CAPABILITIES + ".");
        }
        return new Plan(afterWaits(steps));
    }

    /** The part of a prompt a refusal names, cut to its beginning if long (never inside a surrogate pair). */
    private static String quoted(String part) {
        if (part.length() <= MAX_QUOTED_CHARS) {
            return part;
        }
        int end = MAX_QUOTED_CHARS - 1;
        return part.substring(0, Character.isHighSurrogate(part.charAt(end - 1)) ? end - 1 : end) + "…";
    }

    private Optional<PlanStep> interpret(String rawClause, int number, List<PlanStep> before) {
        Matcher call = CALL.matcher(rawClause.strip());
        if (call.matches()) {
            return Optional.of(call(number, call.group(1), call.group(2)));
        }
        String clause = CLAUSE_END.matcher(rawClause.strip()).replaceAll("").strip();
        if (clause.isEmpty()) {
            return Optional.empty();
        }
        Optional<PlanStep> previous = before.isEmpty() ? Optional.empty() : Optional.ofNullable(before.get(before.size() - 1));
        Matcher m;

        if ((m = ADD_RESULT.matcher(clause)).matches() && previous.isPresent()) {
            int ref = previous.get().stepNumber();
            return Optional.of(todo(number, todoInput("add").put("text", PlanReferences.outputOf(ref)),
                    "Adds the result of step " + ref + " as a todo", List.of(ref)));
        }
        // "The result" of arithmetic is the last calculation's, even when a todo step came in between.
        Optional<PlanStep> calculation = lastCalculation(before);
        if ((m = RESULT_TIMES.matcher(clause)).matches()) {
            String operator = m.group(1).toLowerCase(Locale.ROOT).startsWith("m") ? "*" : "/";
            return resultArithmetic(number, calculation, operator, m.group(2));
        }
        if ((m = RESULT_PLUS.matcher(clause)).matches() && arithmetic(m.group(1)).isPresent()) {
            return resultArithmetic(number, calculation, "+", m.group(1));
        }
        if ((m = RESULT_MINUS.matcher(clause)).matches()) {
            return resultArithmetic(number, calculation, "-", m.group(1));
        }
        if ((m = CALCULATE.matcher(clause)).matches() && arithmetic(m.group(1)).isPresent()) {
            return arithmetic(m.group(1)).map(expression -> calculator(number, expression));
        }
        // "7 times 6", "(2 + 3) * 4": arithmetic without a verb.
        if (arithmetic(clause).isPresent()) {
            return arithmetic(clause).map(expression -> calculator(number, expression));
        }
        if ((m = WAIT.matcher(clause)).matches()) {
            return waitStep(number, m.group(1), m.group(2));
        }
        if ((m = LIST.matcher(clause)).matches()) {
            return Optional.of(todo(number, todoInput("list"), "Lists the todos", todoOrder(before)));
        }
        if ((m = COMPLETE.matcher(clause)).matches() || (m = MARK_DONE.matcher(clause)).matches()) {
            return todoById(number, "complete", m.group(2), m.group(1) != null, before);
        }
        if ((m = DELETE.matcher(clause)).matches()) {
            return todoById(number, "delete", m.group(2), m.group(1) != null, before);
        }
        for (Pattern add : List.of(ADD_TODO, ADD_TO_LIST, REMIND, TODO_COLON)) {
            if ((m = add.matcher(clause)).matches()) {
                return addTodo(number, m.group(1), previous, before);
            }
        }
        if ((m = TODO_FIRST.matcher(clause)).matches()) {
            return addTodo(number, m.group(1) != null ? m.group(1) : m.group(2), previous, before);
        }
        // "calculate: 2 + 2", "remind me - call mom": read again without the punctuation after the verb.
        String unpunctuated = VERB_PUNCTUATION.matcher(clause).replaceFirst("$1 ");
        return unpunctuated.equals(clause) ? Optional.empty() : interpret(unpunctuated, number, before);
    }

    /**
     * "call mcp__echo with {"message": "hi"}": any tool, by name, with its input as written, for scripts and users
     * without a model. The validator then checks the tool (and that the tenant may use it) and the input's schema.
     */
    private PlanStep call(int number, String tool, String json) {
        JsonNode input;
        try {
            input = mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PlanningException(PlanProblem.UNPLANNABLE, "call " + tool + " with …: the input is not "
                    + "valid JSON (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); write one object such as {\"key\": \"value\"}");
        }
        if (input == null || !input.isObject()) {
            throw new PlanningException(PlanProblem.UNPLANNABLE, "call " + tool + " with …: the input must be a JSON "
                    + "object such as {\"key\": \"value\"}");
        }
        return new PlanStep(number, tool, input, "Calls " + tool + " with the input as written", null);
    }

    /** Where the JSON objects of "call <tool> with {…}" clauses start and end (inclusive), strings respected. */
    private static List<int[]> callInputs(String text) {
        if (text.indexOf('{') < 0) {
            return List.of();
        }
        List<int[]> ranges = new ArrayList<>();
        Matcher start = CALL_START.matcher(text);
        int from = 0;
        while (from < text.length() && start.find(from)) {
            int open = start.end() - 1;
            int close = matchingBrace(text, open);
            if (close < 0) {
                break;
            }
            ranges.add(new int[]{open, close});
            from = close + 1;
        }
        return ranges;
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasBraces(String text) {
        return text.contains("{{") || text.contains("}}");
    }

    private static boolean within(int position, List<int[]> ranges) {
        return ranges.stream().anyMatch(r -> position >= r[0] && position <= r[1]);
    }

    private static String outside(String text, List<int[]> ranges) {
        StringBuilder rest = new StringBuilder(text);
        for (int i = ranges.size() - 1; i >= 0; i--) {
            rest.replace(ranges.get(i)[0], ranges.get(i)[1] + 1, " ");
        }
        return rest.toString();
    }

    private static boolean isCommand(String part) {
        String clause = part.strip();
        return RESULT_TIMES.matcher(clause).matches() || RESULT_PLUS.matcher(clause).matches()
                || RESULT_MINUS.matcher(clause).matches() || CALCULATE.matcher(clause).matches();
    }

    private Optional<PlanStep> addTodo(int number, String rawText, Optional<PlanStep> previous, List<PlanStep> before) {
        String text = rawText.strip();
        if (text.matches("(?i)" + REF) && previous.isPresent()) {
            int ref = previous.get().stepNumber();
            return Optional.of(todo(number, todoInput("add").put("text", PlanReferences.outputOf(ref)),
                    "Adds the result of step " + ref + " as a todo", List.of(ref)));
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(todo(number, todoInput("add").put("text", text), "Adds the todo \"" + text + "\"",
                todoOrder(before)));
    }

    /**
     * "it"/"that" names the todo an earlier step added. Without the word "todo" the id must look like one (a digit
     * or a dash), so "delete everything" is not read as deleting a todo called "everything".
     */
    private Optional<PlanStep> todoById(int number, String action, String rawId, boolean saidTodo,
                                        List<PlanStep> before) {
        boolean reference = rawId.matches("(?i)it|that|this");
        if (NOT_AN_ID.contains(rawId.toLowerCase(Locale.ROOT))
                || !(saidTodo || reference || rawId.matches(".*[0-9-].*"))) {
            return Optional.empty();
        }
        String id = rawId;
        List<Integer> dependsOn = todoOrder(before);
        if (reference) {
            Optional<PlanStep> added = lastTodoAdd(before);
            if (added.isEmpty()) {
                return Optional.empty();
            }
            id = PlanReferences.fieldOf(added.get().stepNumber(), "todo.id");
        }
        String verb = action.equals("complete") ? "Marks" : "Deletes";
        String suffix = action.equals("complete") ? " as done" : "";
        return Optional.of(todo(number, todoInput(action).put("todo_id", id),
                verb + " todo " + rawId + suffix, dependsOn));
    }

    private Optional<PlanStep> resultArithmetic(int number, Optional<PlanStep> previous, String operator,
                                                String operand) {
        Optional<String> value = arithmetic(operand);
        if (previous.isEmpty() || value.isEmpty()) {
            return Optional.empty();
        }
        int ref = previous.get().stepNumber();
        String expression = "(" + PlanReferences.outputOf(ref) + ") " + operator + " (" + value.get() + ")";
        ObjectNode input = mapper.createObjectNode().put("expression", expression);
        return Optional.of(new PlanStep(number, CalculatorTool.NAME, input,
                "Applies " + operator + " " + value.get() + " to the result of step " + ref, List.of(ref)));
    }

    /** "wait 2 seconds then X": whatever follows a wait starts after it, whatever else it depends on. */
    private static List<PlanStep> afterWaits(List<PlanStep> steps) {
        List<PlanStep> paced = new ArrayList<>(steps);
        for (int i = 1; i < paced.size(); i++) {
            PlanStep step = paced.get(i);
            int previous = paced.get(i - 1).stepNumber();
            if (paced.get(i - 1).toolName().equals(WaitTool.NAME) && step.dependsOn() != null
                    && !step.dependsOn().contains(previous)) {
                List<Integer> dependsOn = new ArrayList<>(step.dependsOn());
                dependsOn.add(previous);
                paced.set(i, new PlanStep(step.stepNumber(), step.toolName(), step.toolInput(), step.reasoning(),
                        dependsOn.stream().sorted().toList()));
            }
        }
        return paced;
    }

    /** Waiting paces the steps around it, so it keeps plan order (no depends_on: after the previous step). */
    private Optional<PlanStep> waitStep(int number, String amount, String unit) {
        java.math.BigDecimal value = new java.math.BigDecimal(amount);
        String u = unit.toLowerCase(Locale.ROOT);
        java.math.BigDecimal seconds = u.startsWith("ms") || u.startsWith("milli") ? value.movePointLeft(3)
                : u.startsWith("m") ? value.multiply(java.math.BigDecimal.valueOf(60)) : value;
        ObjectNode input = mapper.createObjectNode().put("seconds", seconds.stripTrailingZeros());
        return Optional.of(new PlanStep(number, WaitTool.NAME, input,
                "Waits " + seconds.stripTrailingZeros().toPlainString() + " s", null));
    }

    private PlanStep calculator(int number, String expression) {
        ObjectNode input = mapper.createObjectNode().put("expression", expression);
        // Calculations share no state, so they may run beside any other step.
        return new PlanStep(number, CalculatorTool.NAME, input, "Calculates " + expression, List.of());
    }

    private PlanStep todo(int number, ObjectNode input, String reasoning, List<Integer> dependsOn) {
        return new PlanStep(number, TodoTool.NAME, input, reasoning, dependsOn);
    }

    private ObjectNode todoInput(String action) {
        return mapper.createObjectNode().put("action", action);
    }

    /** Todo steps touch the same list, so each waits for the todo step before it: "add X then list" sees X. */
    private static List<Integer> todoOrder(List<PlanStep> before) {
        for (int i = before.size() - 1; i >= 0; i--) {
            PlanStep step = before.get(i);
            if (step != null && step.toolName().equals(TodoTool.NAME)) {
                return List.of(step.stepNumber());
            }
        }
        return List.of();
    }

    private static Optional<PlanStep> lastCalculation(List<PlanStep> before) {
        for (int i = before.size() - 1; i >= 0; i--) {
            PlanStep step = before.get(i);
            if (step != null && step.toolName().equals(CalculatorTool.NAME)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    private static Optional<PlanStep> lastTodoAdd(List<PlanStep> before) {
        for (int i = before.size() - 1; i >= 0; i--) {
            PlanStep step = before.get(i);
            if (step != null && step.toolName().equals(TodoTool.NAME)
                    && "add".equals(step.toolInput().path("action").asText())) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    /**
     * The arithmetic in a phrase, with words and signs people type turned into operators ("3 x 4", "10 divided
     * by 2", "7 ÷ 2"); empty when the phrase holds no number at all.
     */
    static Optional<String> arithmetic(String phrase) {
        String expression = phrase.strip();
        expression = TRAILING_MARKS.matcher(expression).replaceAll("");
        expression = DIVIDED_BY.matcher(expression).replaceAll(" / ");
        expression = MULTIPLIED_BY.matcher(expression).replaceAll(" * ");
        expression = PLUS.matcher(expression).replaceAll(" + ");
        expression = MINUS.matcher(expression).replaceAll(" - ");
        expression = expression.replace('×', '*').replace('÷', '/');
        expression = SPACED_X.matcher(expression).replaceAll(" * ");
        expression = JOINED_X.matcher(expression).replaceAll(" * ").strip();
        // Words left over ("2 to the power of 8") mean this is not arithmetic the calculator can do: refuse now,
        // with the list of what the runtime can do, rather than fail later.
        boolean arithmetic = expression.chars().anyMatch(Character::isDigit)
                && expression.chars().noneMatch(Character::isLetter);
        return arithmetic ? Optional.of(expression) : Optional.empty();
    }
}
