using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Formats;

/// <summary>Field-by-field equality of trajectories (records hold lists, whose default equality is by reference).</summary>
internal static class TrajectoryAssert
{
    public static void Equal(Trajectory expected, Trajectory actual, bool compareToolCallIds = true)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.TaskId, actual.TaskId);
        Assert.Equal(expected.Environment, actual.Environment);
        ToolsEqual(expected.Tools, actual.Tools);
        Assert.Equal(expected.Reward, actual.Reward);
        Assert.Equal(expected.Success, actual.Success);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.StatusDetail, actual.StatusDetail);
        Assert.Equal(expected.Metrics.OrderBy(k => k.Key), actual.Metrics.OrderBy(k => k.Key));
        JsonEqual(expected.Metadata, actual.Metadata);
        Assert.Equal(expected.Steps.Count, actual.Steps.Count);
        for (var i = 0; i < expected.Steps.Count; i++) StepEqual(expected.Steps[i], actual.Steps[i], i, compareToolCallIds);
    }

    public static void ToolsEqual(IReadOnlyList<ToolDefinition> expected, IReadOnlyList<ToolDefinition> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(expected[i].Description, actual[i].Description);
            Assert.True(JsonElement.DeepEquals(expected[i].Parameters, actual[i].Parameters), $"tools[{i}].parameters differ");
        }
    }

    public static void JsonEqual(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\nactual   {actual?.ToJsonString()}");

    private static void StepEqual(TrajectoryStep e, TrajectoryStep a, int i, bool ids)
    {
        Assert.Equal(e.GetType(), a.GetType());
        Assert.Equal(e.Reward, a.Reward);
        JsonEqual(e.Metadata, a.Metadata);
        if (e is ActionStep ea && a is ActionStep aa)
        {
            Assert.Equal(ea.Action.Content, aa.Action.Content);
            Assert.Equal(ea.Action.Reasoning, aa.Action.Reasoning);
            Assert.Equal(ea.Action.Code, aa.Action.Code);
            Assert.Equal(ea.Action.MalformedToolCalls, aa.Action.MalformedToolCalls);
            Assert.Equal(ea.Action.ToolCalls.Count, aa.Action.ToolCalls.Count);
            for (var c = 0; c < ea.Action.ToolCalls.Count; c++)
            {
                if (ids) Assert.Equal(ea.Action.ToolCalls[c].Id, aa.Action.ToolCalls[c].Id);
                Assert.Equal(ea.Action.ToolCalls[c].Name, aa.Action.ToolCalls[c].Name);
                Assert.Equal(ea.Action.ToolCalls[c].ArgumentsJson, aa.Action.ToolCalls[c].ArgumentsJson);
            }
            Assert.Equal(ea.TokenIds, aa.TokenIds);
            Assert.Equal(ea.LogProbs, aa.LogProbs);
            Assert.Equal(ea.Weight, aa.Weight);
        }
        else if (e is ObservationStep eo && a is ObservationStep ao)
        {
            var x = eo.Observation;
            var y = ao.Observation;
            Assert.Equal(x.Source, y.Source);
            Assert.Equal(x.Content, y.Content);
            Assert.Equal(x.IsJson, y.IsJson);
            if (ids) Assert.Equal(x.ToolCallId, y.ToolCallId);
            Assert.Equal(x.Name, y.Name);
            Assert.Equal(x.IsError, y.IsError);
        }
    }
}
