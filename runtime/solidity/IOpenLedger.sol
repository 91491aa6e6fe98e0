// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title The OpenLedger state that matters to EVM contracts.
/// @notice The precompile at 0x0000000000000000000000000000000016120000 reads the chain's AI state: the model
/// registry (owners, prices, deployed versions and their provenance), Proof-of-Attribution
/// records (which data made an answer and who was paid what), earnings and Datanet credibility.
/// Amounts are in wei of OPEN (18 decimals, like ether). Accounts are 32-byte account ids, given
/// with the EVM address they are mapped to where a contract may want to pay them. Every function
/// is a view: it costs gas (the storage it reads) and changes nothing.
/// Use it as `IOpenLedger(0x0000000000000000000000000000000016120000)`.
interface IOpenLedger {
    // A model's lifecycle, in order; Rejected and Retired are final.
    enum ModelStatus {
        Proposed,
        Approved,
        Rejected,
        CollectingData,
        Training,
        Deployed,
        Retired
    }

    struct Model {
        bytes32 owner;
        address ownerAddress;
        ModelStatus status;
        // The Datanets it trains on.
        uint32[] datanets;
        // Price per 1,000 input tokens (R_in).
        uint256 rateIn;
        // Price per 1,000 output tokens (R_out).
        uint256 rateOut;
        // Versions registered so far, numbered from 0.
        uint32 versions;
        bool deployed;
        // The version that answers while deployed.
        uint32 deployedVersion;
        uint256 totalStake;
        uint32 stakers;
    }

    // A trained adapter and where it came from (hashes are blake2-256).
    struct Version {
        bytes32 adapterHash;
        bytes32 baseModelHash;
        // Of the tokenizer that counts the version's input tokens.
        bytes32 tokenizerHash;
        // Merkle root of the ids of the contributions it was trained on.
        bytes32 trainingDataRoot;
        uint32 trainingDataCount;
        bytes32 configHash;
        uint32 registeredAt;
    }

    // How a settled inference fee was split.
    struct Fees {
        // Charged to the user.
        uint256 fee;
        // Held and returned to the user.
        uint256 refund;
        // To the treasury.
        uint256 platform;
        uint256 modelOwner;
        // The settling worker's compute share, out of the model owner's part.
        uint256 worker;
        // Into the model's staking reward pool.
        uint256 stakers;
        uint256 contributors;
        // Rounding and unclaimable shares, to the treasury.
        uint256 remainder;
    }

    // A contribution behind an answer.
    struct Contribution {
        uint64 id;
        bytes32 contributor;
        address contributorAddress;
        // The influence the worker reported (only ratios matter).
        uint128 influence;
        // Its share of the contributors' part, in billionths.
        uint32 weightPpb;
        uint256 paid;
    }

    // Which data made an answer, and who was paid what for it.
    struct Attribution {
        uint32 model;
        uint32 version;
        bytes32 user;
        bytes32 worker;
        uint32 tokensIn;
        uint32 tokensOut;
        bytes32 outputHash;
        Fees fees;
        // The block it was settled in.
        uint32 settledAt;
        Contribution[] contributions;
    }

    function getModel(uint32 modelId) external view returns (bool found, Model memory model);

    function getVersion(uint32 modelId, uint32 versionId)
        external
        view
        returns (bool found, Version memory version);

    /// What an inference on a deployed model costs: `served` is false if it is not deployed.
    function quote(uint32 modelId, uint32 tokensIn, uint32 tokensOut)
        external
        view
        returns (bool served, uint256 usage, uint256 platform, uint256 total);

    /// The attribution record of a settled inference request.
    function getAttribution(bytes32 requestId)
        external
        view
        returns (bool found, Attribution memory record);

    /// How many settled requests a model has.
    function modelAttributionCount(uint32 modelId) external view returns (uint64 count);

    /// A model's `index`-th settled request, in settlement order.
    function modelAttribution(uint32 modelId, uint64 index)
        external
        view
        returns (bool found, bytes32 requestId);

    /// What an account has earned as a data contributor, over how many answers.
    function contributorEarnings(bytes32 account) external view returns (uint256 total, uint64 outputs);

    /// What one contribution has earned, over how many answers.
    function contributionEarnings(uint64 contributionId)
        external
        view
        returns (uint256 total, uint64 outputs);

    /// A Datanet's credibility C(D), in billionths.
    function datanetCredibility(uint32 datanetId) external view returns (bool found, uint32 credibilityPpb);
}
