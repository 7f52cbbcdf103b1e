namespace Whetstone.Models.Transformer;

/// <summary>How a parameter is initialised and whether weight decay applies to it.</summary>
internal enum ParameterKind
{
    /// <summary>Projection or embedding: N(0, std), weight decay.</summary>
    Matrix,
    /// <summary>Projection bias: zeros, no weight decay.</summary>
    Bias,
    /// <summary>RMSNorm weight: ones, no weight decay.</summary>
    Norm,
}
