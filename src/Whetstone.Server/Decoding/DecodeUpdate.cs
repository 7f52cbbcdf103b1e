using Whetstone.Models.Generation;

namespace Whetstone.Server.Decoding;

/// <summary>One token for one request, and the finished sequence when it was the last.</summary>
internal readonly record struct DecodeUpdate(SampledToken Token, GenerationResult? Finished);
