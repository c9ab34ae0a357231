#pragma once
// IAM's operations, one function each (see register.cpp).
#include "core/context.hpp"
#include "core/value.hpp"

namespace terrarium::services::iam {

// users.cpp
Value create_user(Context& ctx, const Value& input);
Value get_user(Context& ctx, const Value& input);
Value list_users(Context& ctx, const Value& input);
Value update_user(Context& ctx, const Value& input);
Value delete_user(Context& ctx, const Value& input);
Value tag_user(Context& ctx, const Value& input);
Value untag_user(Context& ctx, const Value& input);
Value list_user_tags(Context& ctx, const Value& input);
Value put_user_permissions_boundary(Context& ctx, const Value& input);
Value delete_user_permissions_boundary(Context& ctx, const Value& input);
Value create_login_profile(Context& ctx, const Value& input);
Value get_login_profile(Context& ctx, const Value& input);
Value update_login_profile(Context& ctx, const Value& input);
Value delete_login_profile(Context& ctx, const Value& input);
// access_keys.cpp
Value create_access_key(Context& ctx, const Value& input);
Value list_access_keys(Context& ctx, const Value& input);
Value update_access_key(Context& ctx, const Value& input);
Value delete_access_key(Context& ctx, const Value& input);
Value get_access_key_last_used(Context& ctx, const Value& input);
// groups.cpp
Value create_group(Context& ctx, const Value& input);
Value get_group(Context& ctx, const Value& input);
Value list_groups(Context& ctx, const Value& input);
Value update_group(Context& ctx, const Value& input);
Value delete_group(Context& ctx, const Value& input);
Value add_user_to_group(Context& ctx, const Value& input);
Value remove_user_from_group(Context& ctx, const Value& input);
Value list_groups_for_user(Context& ctx, const Value& input);
// roles.cpp
Value create_role(Context& ctx, const Value& input);
Value get_role(Context& ctx, const Value& input);
Value list_roles(Context& ctx, const Value& input);
Value update_role(Context& ctx, const Value& input);
Value update_role_description(Context& ctx, const Value& input);
Value update_assume_role_policy(Context& ctx, const Value& input);
Value delete_role(Context& ctx, const Value& input);
Value tag_role(Context& ctx, const Value& input);
Value untag_role(Context& ctx, const Value& input);
Value list_role_tags(Context& ctx, const Value& input);
Value put_role_permissions_boundary(Context& ctx, const Value& input);
Value delete_role_permissions_boundary(Context& ctx, const Value& input);
// managed_policies.cpp
Value create_policy(Context& ctx, const Value& input);
Value get_policy(Context& ctx, const Value& input);
Value list_policies(Context& ctx, const Value& input);
Value delete_policy(Context& ctx, const Value& input);
Value create_policy_version(Context& ctx, const Value& input);
Value get_policy_version(Context& ctx, const Value& input);
Value list_policy_versions(Context& ctx, const Value& input);
Value delete_policy_version(Context& ctx, const Value& input);
Value set_default_policy_version(Context& ctx, const Value& input);
Value tag_policy(Context& ctx, const Value& input);
Value untag_policy(Context& ctx, const Value& input);
Value list_policy_tags(Context& ctx, const Value& input);
// attached_policies.cpp
Value attach_user_policy(Context& ctx, const Value& input);
Value attach_group_policy(Context& ctx, const Value& input);
Value attach_role_policy(Context& ctx, const Value& input);
Value detach_user_policy(Context& ctx, const Value& input);
Value detach_group_policy(Context& ctx, const Value& input);
Value detach_role_policy(Context& ctx, const Value& input);
Value list_attached_user_policies(Context& ctx, const Value& input);
Value list_attached_group_policies(Context& ctx, const Value& input);
Value list_attached_role_policies(Context& ctx, const Value& input);
Value list_entities_for_policy(Context& ctx, const Value& input);
// inline_policies.cpp
Value put_user_policy(Context& ctx, const Value& input);
Value put_group_policy(Context& ctx, const Value& input);
Value put_role_policy(Context& ctx, const Value& input);
Value get_user_policy(Context& ctx, const Value& input);
Value get_group_policy(Context& ctx, const Value& input);
Value get_role_policy(Context& ctx, const Value& input);
Value list_user_policies(Context& ctx, const Value& input);
Value list_group_policies(Context& ctx, const Value& input);
Value list_role_policies(Context& ctx, const Value& input);
Value delete_user_policy(Context& ctx, const Value& input);
Value delete_group_policy(Context& ctx, const Value& input);
Value delete_role_policy(Context& ctx, const Value& input);
// instance_profiles.cpp
Value create_instance_profile(Context& ctx, const Value& input);
Value get_instance_profile(Context& ctx, const Value& input);
Value list_instance_profiles(Context& ctx, const Value& input);
Value list_instance_profiles_for_role(Context& ctx, const Value& input);
Value add_role_to_instance_profile(Context& ctx, const Value& input);
Value remove_role_from_instance_profile(Context& ctx, const Value& input);
Value delete_instance_profile(Context& ctx, const Value& input);
Value tag_instance_profile(Context& ctx, const Value& input);
Value untag_instance_profile(Context& ctx, const Value& input);
Value list_instance_profile_tags(Context& ctx, const Value& input);
// account.cpp
Value create_account_alias(Context& ctx, const Value& input);
Value delete_account_alias(Context& ctx, const Value& input);
Value list_account_aliases(Context& ctx, const Value& input);
Value update_account_password_policy(Context& ctx, const Value& input);
Value get_account_password_policy(Context& ctx, const Value& input);
Value delete_account_password_policy(Context& ctx, const Value& input);
Value get_account_summary(Context& ctx, const Value& input);
Value set_security_token_service_preferences(Context& ctx, const Value& input);
// service_linked_roles.cpp
Value create_service_linked_role(Context& ctx, const Value& input);
Value delete_service_linked_role(Context& ctx, const Value& input);
Value get_service_linked_role_deletion_status(Context& ctx, const Value& input);
// providers.cpp
Value create_open_id_connect_provider(Context& ctx, const Value& input);
Value get_open_id_connect_provider(Context& ctx, const Value& input);
Value list_open_id_connect_providers(Context& ctx, const Value& input);
Value delete_open_id_connect_provider(Context& ctx, const Value& input);
Value add_client_id_to_open_id_connect_provider(Context& ctx, const Value& input);
Value remove_client_id_from_open_id_connect_provider(Context& ctx, const Value& input);
Value update_open_id_connect_provider_thumbprint(Context& ctx, const Value& input);
Value tag_open_id_connect_provider(Context& ctx, const Value& input);
Value untag_open_id_connect_provider(Context& ctx, const Value& input);
Value list_open_id_connect_provider_tags(Context& ctx, const Value& input);
Value create_saml_provider(Context& ctx, const Value& input);
Value get_saml_provider(Context& ctx, const Value& input);
Value list_saml_providers(Context& ctx, const Value& input);
Value update_saml_provider(Context& ctx, const Value& input);
Value delete_saml_provider(Context& ctx, const Value& input);
Value tag_saml_provider(Context& ctx, const Value& input);
Value untag_saml_provider(Context& ctx, const Value& input);
Value list_saml_provider_tags(Context& ctx, const Value& input);
// mfa.cpp
Value create_virtual_mfa_device(Context& ctx, const Value& input);
Value enable_mfa_device(Context& ctx, const Value& input);
Value deactivate_mfa_device(Context& ctx, const Value& input);
Value resync_mfa_device(Context& ctx, const Value& input);
Value delete_virtual_mfa_device(Context& ctx, const Value& input);
Value list_virtual_mfa_devices(Context& ctx, const Value& input);
Value list_mfa_devices(Context& ctx, const Value& input);
Value get_mfa_device(Context& ctx, const Value& input);
Value tag_mfa_device(Context& ctx, const Value& input);
Value untag_mfa_device(Context& ctx, const Value& input);
Value list_mfa_device_tags(Context& ctx, const Value& input);
// certificates.cpp
Value upload_server_certificate(Context& ctx, const Value& input);
Value get_server_certificate(Context& ctx, const Value& input);
Value list_server_certificates(Context& ctx, const Value& input);
Value update_server_certificate(Context& ctx, const Value& input);
Value delete_server_certificate(Context& ctx, const Value& input);
Value tag_server_certificate(Context& ctx, const Value& input);
Value untag_server_certificate(Context& ctx, const Value& input);
Value list_server_certificate_tags(Context& ctx, const Value& input);
Value upload_signing_certificate(Context& ctx, const Value& input);
Value list_signing_certificates(Context& ctx, const Value& input);
Value update_signing_certificate(Context& ctx, const Value& input);
Value delete_signing_certificate(Context& ctx, const Value& input);
// credentials.cpp
Value upload_ssh_public_key(Context& ctx, const Value& input);
Value get_ssh_public_key(Context& ctx, const Value& input);
Value list_ssh_public_keys(Context& ctx, const Value& input);
Value update_ssh_public_key(Context& ctx, const Value& input);
Value delete_ssh_public_key(Context& ctx, const Value& input);
Value create_service_specific_credential(Context& ctx, const Value& input);
Value list_service_specific_credentials(Context& ctx, const Value& input);
Value reset_service_specific_credential(Context& ctx, const Value& input);
Value update_service_specific_credential(Context& ctx, const Value& input);
Value delete_service_specific_credential(Context& ctx, const Value& input);
// credential_report.cpp
Value generate_credential_report(Context& ctx, const Value& input);
Value get_credential_report(Context& ctx, const Value& input);
// authorization_details.cpp
Value get_account_authorization_details(Context& ctx, const Value& input);
// policy_reports.cpp
Value list_policies_granting_service_access(Context& ctx, const Value& input);
Value get_context_keys_for_principal_policy(Context& ctx, const Value& input);
Value get_context_keys_for_custom_policy(Context& ctx, const Value& input);
// service_last_accessed.cpp
Value generate_service_last_accessed_details(Context& ctx, const Value& input);
Value get_service_last_accessed_details(Context& ctx, const Value& input);
Value get_service_last_accessed_details_with_entities(Context& ctx, const Value& input);
// users.cpp
Value change_password(Context& ctx, const Value& input);

}  // namespace terrarium::services::iam
