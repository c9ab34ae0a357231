#pragma once
// AWS Organizations' operations, one function each (see register.cpp).
#include "core/context.hpp"
#include "core/value.hpp"

namespace terrarium::services::organizations {

// organization.cpp
Value create_organization(Context& ctx, const Value& input);
Value describe_organization(Context& ctx, const Value& input);
Value delete_organization(Context& ctx, const Value& input);
Value enable_aws_service_access(Context& ctx, const Value& input);
Value disable_aws_service_access(Context& ctx, const Value& input);
Value list_aws_service_access_for_organization(Context& ctx, const Value& input);
Value register_delegated_administrator(Context& ctx, const Value& input);
Value deregister_delegated_administrator(Context& ctx, const Value& input);
Value list_delegated_administrators(Context& ctx, const Value& input);
Value list_delegated_services_for_account(Context& ctx, const Value& input);
Value put_resource_policy(Context& ctx, const Value& input);
Value describe_resource_policy(Context& ctx, const Value& input);
Value delete_resource_policy(Context& ctx, const Value& input);

// accounts.cpp
Value create_account(Context& ctx, const Value& input);
Value describe_create_account_status(Context& ctx, const Value& input);
Value list_create_account_status(Context& ctx, const Value& input);
Value describe_account(Context& ctx, const Value& input);
Value list_accounts(Context& ctx, const Value& input);
Value list_accounts_for_parent(Context& ctx, const Value& input);
Value close_account(Context& ctx, const Value& input);
Value remove_account_from_organization(Context& ctx, const Value& input);
Value leave_organization(Context& ctx, const Value& input);
Value move_account(Context& ctx, const Value& input);

// handshakes.cpp
Value invite_account_to_organization(Context& ctx, const Value& input);
Value enable_all_features(Context& ctx, const Value& input);
Value accept_handshake(Context& ctx, const Value& input);
Value decline_handshake(Context& ctx, const Value& input);
Value cancel_handshake(Context& ctx, const Value& input);
Value describe_handshake(Context& ctx, const Value& input);
Value list_handshakes_for_account(Context& ctx, const Value& input);
Value list_handshakes_for_organization(Context& ctx, const Value& input);

// units.cpp
Value list_roots(Context& ctx, const Value& input);
Value create_organizational_unit(Context& ctx, const Value& input);
Value describe_organizational_unit(Context& ctx, const Value& input);
Value update_organizational_unit(Context& ctx, const Value& input);
Value delete_organizational_unit(Context& ctx, const Value& input);
Value list_organizational_units_for_parent(Context& ctx, const Value& input);
Value list_children(Context& ctx, const Value& input);
Value list_parents(Context& ctx, const Value& input);

// policies.cpp
Value create_policy(Context& ctx, const Value& input);
Value describe_policy(Context& ctx, const Value& input);
Value update_policy(Context& ctx, const Value& input);
Value delete_policy(Context& ctx, const Value& input);
Value list_policies(Context& ctx, const Value& input);
Value list_policies_for_target(Context& ctx, const Value& input);
Value list_targets_for_policy(Context& ctx, const Value& input);
Value attach_policy(Context& ctx, const Value& input);
Value detach_policy(Context& ctx, const Value& input);
Value enable_policy_type(Context& ctx, const Value& input);
Value disable_policy_type(Context& ctx, const Value& input);
Value describe_effective_policy(Context& ctx, const Value& input);
Value list_accounts_with_invalid_effective_policy(Context& ctx, const Value& input);
Value list_effective_policy_validation_errors(Context& ctx, const Value& input);

// tags.cpp
Value tag_resource(Context& ctx, const Value& input);
Value untag_resource(Context& ctx, const Value& input);
Value list_tags_for_resource(Context& ctx, const Value& input);

// transfers.cpp
Value create_gov_cloud_account(Context& ctx, const Value& input);
Value list_inbound_responsibility_transfers(Context& ctx, const Value& input);
Value list_outbound_responsibility_transfers(Context& ctx, const Value& input);
Value describe_responsibility_transfer(Context& ctx, const Value& input);
Value terminate_responsibility_transfer(Context& ctx, const Value& input);
Value update_responsibility_transfer(Context& ctx, const Value& input);

}  // namespace terrarium::services::organizations
