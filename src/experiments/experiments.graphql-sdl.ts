// The GraphQL types of experiments (resolvers in experiments.graphql.ts). Field names are the REST
// fields in camelCase; assignments keep GrowthBook's Result names.
export const experimentTypeDefs = /* GraphQL */ `
  "Any JSON value: a variation's value, a targeting condition, user attributes."
  scalar JSON

  enum ExperimentStatus {
    DRAFT
    RUNNING
    STOPPED
  }

  enum ExperimentMetricType {
    "Events of a kind per user."
    MEAN
    "Users with at least one event of a kind."
    PROPORTION
    "Events of a kind over events of another, per variation (delta method)."
    RATIO
  }

  "Multiple-comparison correction across all metrics and variations of an analysis."
  enum ExperimentCorrection {
    NONE
    "Holm–Bonferroni: family-wise error rate."
    HOLM
    "Benjamini–Hochberg: false discovery rate."
    BH
  }

  type ExperimentVariation {
    key: String!
    name: String!
    value: JSON
  }

  type ExperimentNamespace {
    name: String!
    start: Float!
    end: Float!
  }

  type ExperimentHoldout {
    share: Float
    experimentKey: String
  }

  "An A/B experiment (administrators only): GET /v5/experiments/{key}."
  type Experiment {
    "The v5 id."
    entityId: String!
    key: String!
    name: String!
    description: String!
    status: ExperimentStatus!
    variations: [ExperimentVariation!]!
    weights: [Float!]!
    coverage: Float!
    hashAttribute: String!
    seed: String!
    hashVersion: Int!
    condition: JSON
    namespace: ExperimentNamespace
    holdout: ExperimentHoldout
    "User id -> forced variation index (QA accounts)."
    forcedVariations: JSON!
    metrics: [String!]!
    phaseStartedAt: String
    stoppedAt: String
    archivedAt: String
    version: Int!
    createdAt: String!
    updatedAt: String!
    "GET /v5/experiments/{key}/results."
    results(alpha: Float, sequential: Boolean, sequentialTuning: Int, correction: ExperimentCorrection, prePeriodDays: Int): ExperimentResults
      @cost(weight: 2000, kind: EXPERIMENT_RESULTS)
  }

  type ExperimentEdge {
    cursor: String
    node: Experiment!
  }

  type ExperimentConnection {
    edges: [ExperimentEdge!]!
    pageInfo: PageInfo!
  }

  "One experiment's variation for the viewer (GrowthBook's Result)."
  type ExperimentAssignment {
    experimentKey: String!
    "The variation's key."
    variationKey: String!
    name: String
    inExperiment: Boolean!
    variationId: Int!
    value: JSON
    hashUsed: Boolean!
    hashAttribute: String!
    hashValue: JSON
    bucket: Float
  }

  type ExperimentMetric {
    key: String!
    name: String!
    description: String!
    type: ExperimentMetricType!
    "The engagement event kind counted (a ratio's numerator)."
    kind: String!
    denominatorKind: String
    higherIsBetter: Boolean!
  }

  type ExperimentLift {
    estimate: Float
    standardError: Float
    ciLow: Float
    ciHigh: Float
    pValue: Float
    "After the correction; equal to pValue without one."
    adjustedPValue: Float
    significant: Boolean!
    degreesOfFreedom: Float
    "Why there is no estimate: ZERO_VARIANCE or BASELINE_MEAN_ZERO."
    error: String
  }

  type ExperimentVariationAnalysis {
    index: Int!
    n: Int!
    mean: Float!
    variance: Float!
    adjustedMean: Float
    theta: Float
    absolute: ExperimentLift
    relative: ExperimentLift
  }

  type ExperimentMetricAnalysis {
    key: String!
    type: ExperimentMetricType!
    cuped: Boolean!
    variations: [ExperimentVariationAnalysis!]!
  }

  "The sample-ratio check: chi-square of users per variation against the weights."
  type ExperimentSrm {
    chiSquare: Float!
    degreesOfFreedom: Int!
    pValue: Float!
    mismatch: Boolean!
    users: [Int!]!
    weights: [Float!]!
    threshold: Float!
  }

  type ExperimentAnalysis {
    alpha: Float!
    sequential: Boolean!
    sequentialTuning: Int!
    correction: ExperimentCorrection!
    srm: ExperimentSrm!
    metrics: [ExperimentMetricAnalysis!]!
  }

  type ExperimentExposureBucket {
    start: String!
    "First exposures in the bucket, per variation."
    counts: [Int!]!
  }

  type ExperimentResults {
    computedAt: String!
    windowStart: String
    windowEnd: String!
    prePeriodDays: Int!
    metrics: [ExperimentMetric!]!
    "Exposed users per variation."
    users: [Int!]!
    srm: ExperimentSrm!
    "Null until every variation has two exposed users (see note)."
    analysis: ExperimentAnalysis
    note: String
    "HOUR or DAY."
    exposureUnit: String!
    exposuresOverTime: [ExperimentExposureBucket!]!
  }

  input ExperimentVariationInput {
    key: String!
    name: String
    "Required (null is a value)."
    value: JSON
  }

  input ExperimentNamespaceInput {
    name: String!
    start: Float!
    end: Float!
  }

  input ExperimentHoldoutInput {
    share: Float
    experimentKey: String
  }

  "POST /v5/experiments's body, in camelCase."
  input CreateExperimentInput {
    key: String!
    name: String!
    description: String
    variations: [ExperimentVariationInput!]!
    weights: [Float!]
    coverage: Float
    hashAttribute: String
    seed: String
    hashVersion: Int
    condition: JSON
    namespace: ExperimentNamespaceInput
    holdout: ExperimentHoldoutInput
    forcedVariations: JSON
    metrics: [String!]
  }

  "PATCH /v5/experiments/{key}'s body, in camelCase: fields left out keep their value, null clears condition, namespace and holdout."
  input UpdateExperimentInput {
    name: String
    description: String
    variations: [ExperimentVariationInput!]
    weights: [Float!]
    coverage: Float
    hashAttribute: String
    seed: String
    hashVersion: Int
    condition: JSON
    namespace: ExperimentNamespaceInput
    holdout: ExperimentHoldoutInput
    forcedVariations: JSON
    metrics: [String!]
    expectedVersion: Int
  }

  "One variation's summary sums (POST /v5/experiments/analyze's fields in camelCase)."
  input ExperimentVariationSumsInput {
    n: Int!
    sum: Float!
    sumSquares: Float
    denominatorSum: Float
    denominatorSumSquares: Float
    mainDenominatorSumProduct: Float
    covariateSum: Float
    covariateSumSquares: Float
    mainCovariateSumProduct: Float
    denominatorPreSum: Float
    denominatorPreSumSquares: Float
    mainPreDenominatorPreSumProduct: Float
    mainPostDenominatorPreSumProduct: Float
    mainPreDenominatorPostSumProduct: Float
    denominatorPostDenominatorPreSumProduct: Float
  }

  input ExperimentMetricSumsInput {
    key: String!
    type: ExperimentMetricType!
    "The control first."
    variations: [ExperimentVariationSumsInput!]!
  }

  input ExperimentAnalysisInput {
    metrics: [ExperimentMetricSumsInput!]!
    alpha: Float
    sequential: Boolean
    sequentialTuning: Int
    correction: ExperimentCorrection
    srmWeights: [Float!]
    variationUsers: [Int!]
  }

  extend type Query {
    "GET /v5/experiments (administrators): newest first."
    experiments(status: ExperimentStatus, includeArchived: Boolean = false, first: Int = 25, after: String): ExperimentConnection
    "GET /v5/experiments/{key} (administrators)."
    experiment(key: String!): Experiment
    "GET /v5/experiments/metrics: the metrics experiments can report."
    experimentMetrics: [ExperimentMetric!]
    "POST /v5/experiments/evaluate: every running experiment's variation for the viewer; logs no exposure."
    experimentAssignments(attributes: JSON): [ExperimentAssignment!]
    "POST /v5/experiments/analyze: the analysis of per-variation summary sums."
    analyzeExperiment(input: ExperimentAnalysisInput!): ExperimentAnalysis @cost(weight: 200, kind: EXPERIMENT_ANALYSIS)
  }

  extend type Mutation {
    "POST /v5/experiments (administrators): a new draft."
    createExperiment(input: CreateExperimentInput!): Experiment
    "PATCH /v5/experiments/{key} (administrators)."
    updateExperiment(key: String!, input: UpdateExperimentInput!): Experiment
    "POST /v5/experiments/{key}/start (administrators)."
    startExperiment(key: String!): Experiment
    "POST /v5/experiments/{key}/stop (administrators)."
    stopExperiment(key: String!): Experiment
    "DELETE /v5/experiments/{key} (administrators): archives it and answers it."
    archiveExperiment(key: String!): Experiment
    "POST /v5/experiments/{key}/activate: the viewer's variation, logging their exposure."
    activateExperiment(key: String!, attributes: JSON): ExperimentAssignment
  }
`;
