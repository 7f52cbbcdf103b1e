namespace Whetstone.Training.Data;

/// <summary>
/// A ChatML chat template in the Qwen style for models trained from scratch: a system turn that lists the tools
/// (Hermes format, as Qwen2.5/Qwen3 do), <c>&lt;tool_call&gt;</c> blocks on assistant turns, consecutive tool outputs
/// grouped into one user turn of <c>&lt;tool_response&gt;</c> blocks, and reasoning_content as a <c>&lt;think&gt;</c>
/// block. Unlike Qwen3's it renders every turn the same wherever it stands, so conversations render incrementally
/// (the prefix property the training data relies on); the assistant's part is wrapped in <c>{% generation %}</c> for
/// transformers' assistant-token mask.
/// </summary>
public static class ChatMlTemplate
{
    /// <summary>Token that opens a turn.</summary>
    public const string ImStart = "<|im_start|>";

    /// <summary>Token that ends a turn (the EOS token of chat models).</summary>
    public const string ImEnd = "<|im_end|>";

    /// <summary>The Jinja source.</summary>
    public const string Source =
        """
        {%- if tools %}
            {{- '<|im_start|>system\n' }}
            {%- if messages and messages[0].role == 'system' %}
                {{- messages[0].content + '\n\n' }}
            {%- endif %}
            {{- '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' }}
            {%- for tool in tools %}
                {{- '\n' + (tool | tojson) }}
            {%- endfor %}
            {{- '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' }}
        {%- elif messages and messages[0].role == 'system' %}
            {{- '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
        {%- endif %}
        {%- for message in messages %}
            {%- if message.role == 'user' or (message.role == 'system' and not loop.first) %}
                {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' }}
            {%- elif message.role == 'assistant' %}
                {{- '<|im_start|>assistant\n' }}
                {%- generation %}
                    {%- if message.reasoning_content %}
                        {{- '<think>\n' + message.reasoning_content + '\n</think>\n\n' }}
                    {%- endif %}
                    {%- if message.content %}
                        {{- message.content }}
                    {%- endif %}
                    {%- if message.tool_calls %}
                        {%- for call in message.tool_calls %}
                            {%- if call.function is defined %}
                                {%- set call = call.function %}
                            {%- endif %}
                            {%- if message.content or not loop.first %}
                                {{- '\n' }}
                            {%- endif %}
                            {{- '<tool_call>\n{"name": "' + call.name + '", "arguments": ' }}
                            {%- if call.arguments is string %}
                                {{- call.arguments }}
                            {%- else %}
                                {{- call.arguments | tojson }}
                            {%- endif %}
                            {{- '}\n</tool_call>' }}
                        {%- endfor %}
                    {%- endif %}
                    {{- '<|im_end|>' }}
                {%- endgeneration %}
                {{- '\n' }}
            {%- elif message.role == 'tool' %}
                {%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}
                    {{- '<|im_start|>user' }}
                {%- endif %}
                {{- '\n<tool_response>\n' + message.content + '\n</tool_response>' }}
                {%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}
                    {{- '<|im_end|>\n' }}
                {%- endif %}
            {%- endif %}
        {%- endfor %}
        {%- if add_generation_prompt %}
            {{- '<|im_start|>assistant\n' }}
        {%- endif %}
        """;
}
