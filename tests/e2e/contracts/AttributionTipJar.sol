// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "IOpenLedger.sol";

/// What an application on OpenLedger might deploy: it prices inference on a model and tips the
/// data contributors behind a settled answer, in proportion to their attributed influence, reading
/// both from the chain through the OpenLedger precompile.
contract AttributionTipJar {
    IOpenLedger constant OPENLEDGER = IOpenLedger(0x0000000000000000000000000000000016120000);

    /// Total tipped through this contract.
    uint256 public tipped;

    event Tipped(bytes32 indexed request, address indexed contributor, uint256 amount);

    /// The fee of an inference on a deployed model.
    function price(uint32 model, uint32 tokensIn, uint32 tokensOut) external view returns (uint256) {
        (bool served,,, uint256 total) = OPENLEDGER.quote(model, tokensIn, tokensOut);
        require(served, "model not deployed");
        return total;
    }

    /// The adapter a deployed model answers with, and who owns the model.
    function deployedAdapter(uint32 model)
        external
        view
        returns (bytes32 adapterHash, bytes32 owner, address ownerAddress)
    {
        (bool found, IOpenLedger.Model memory m) = OPENLEDGER.getModel(model);
        require(found && m.deployed, "model not deployed");
        (, IOpenLedger.Version memory v) = OPENLEDGER.getVersion(model, m.deployedVersion);
        return (v.adapterHash, m.owner, m.ownerAddress);
    }

    /// Who was paid for an answer: contributors and their shares, in billionths.
    function contributorsOf(bytes32 request)
        external
        view
        returns (address[] memory contributors, uint32[] memory weights)
    {
        (bool found, IOpenLedger.Attribution memory record) = OPENLEDGER.getAttribution(request);
        require(found, "not settled");
        uint256 n = record.contributions.length;
        contributors = new address[](n);
        weights = new uint32[](n);
        for (uint256 i = 0; i < n; i++) {
            contributors[i] = record.contributions[i].contributorAddress;
            weights[i] = record.contributions[i].weightPpb;
        }
    }

    /// Splits the value sent among the contributors behind a settled answer by their weights;
    /// what rounding leaves goes back to the sender.
    function tipContributors(bytes32 request) external payable {
        (bool found, IOpenLedger.Attribution memory record) = OPENLEDGER.getAttribution(request);
        require(found, "not settled");
        uint256 paid = 0;
        for (uint256 i = 0; i < record.contributions.length; i++) {
            IOpenLedger.Contribution memory c = record.contributions[i];
            uint256 amount = (msg.value * c.weightPpb) / 1_000_000_000;
            if (amount == 0) continue;
            (bool sent,) = payable(c.contributorAddress).call{value: amount}("");
            require(sent, "tip failed");
            paid += amount;
            emit Tipped(request, c.contributorAddress, amount);
        }
        tipped += paid;
        if (msg.value > paid) {
            (bool back,) = payable(msg.sender).call{value: msg.value - paid}("");
            require(back, "refund failed");
        }
    }
}
