package dev.switchback.releaseapi.webhook.rest;

import dev.switchback.releaseapi.webhook.WebhookDelivery;
import dev.switchback.releaseapi.webhook.WebhookEvent;
import dev.switchback.releaseapi.webhook.WebhookFormat;
import dev.switchback.releaseapi.webhook.WebhookSubscription;
import dev.switchback.releaseapi.webhook.service.WebhookService;
import dev.switchback.releaseapi.webhook.service.WebhookUrls;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import dev.switchback.web.auth.Access;
import dev.switchback.web.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Webhook subscriptions of environments: who is told of which release outcomes, and how each delivery went. Admin
 * only, reads too: a Slack webhook's URL is itself a credential.
 */
@RolesAllowed(Roles.ADMIN)
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    /** DELIVERIES_SHOWN: how many of a subscription's latest deliveries a listing shows. */
    static final int DELIVERIES_SHOWN = 100;

    private final WebhookService webhooks;
    private final Access access;
    private final Clock clock;

    public WebhookResource(WebhookService webhooks, Access access, Clock clock) {
        this.webhooks = webhooks;
        this.access = access;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@NotNull @Valid WebhookRequest request) {
        access.requireEnvironment(request.environment());
        List<Problem.Violation> violations = new ArrayList<>();
        WebhookUrls.problemWith(request.url()).ifPresent(problem -> violations.add(new Problem.Violation("url", problem)));
        WebhookFormat format = WebhookFormat.named(request.kind()).orElse(null);
        if (format == null) {
            violations.add(new Problem.Violation("kind", "must be json or slack"));
        }
        Set<String> events = new LinkedHashSet<>();
        for (int i = 0; i < request.events().size(); i++) {
            String event = request.events().get(i);
            if (WebhookEvent.named(event).isEmpty()) {
                violations.add(new Problem.Violation("events[" + i + "]",
                        "must be one of failed, rolled-back, awaiting-approval, live, promoted"));
            } else {
                events.add(event);
            }
        }
        if (format == WebhookFormat.JSON && request.secret() == null) {
            violations.add(new Problem.Violation("secret", "is required for json: deliveries are signed with it"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "the webhook subscription is not valid", violations);
        }
        WebhookSubscription subscription = new WebhookSubscription();
        subscription.id = UUID.randomUUID();
        subscription.environment = request.environment();
        subscription.url = request.url();
        subscription.format = format;
        subscription.events = String.join(",", events);
        subscription.secret = request.secret();
        subscription.createdBy = access.subject();
        subscription.createdAt = clock.instant();
        webhooks.register(subscription);
        return Response.created(URI.create("/webhooks/" + subscription.id)).entity(WebhookView.of(subscription)).build();
    }

    @GET
    public List<WebhookView> list(@QueryParam("environment") @Pattern(regexp = dev.switchback.web.Names.NAME) String environment) {
        List<WebhookSubscription> found = environment == null
                ? WebhookSubscription.listAll() : WebhookSubscription.ofEnvironment(environment);
        return found.stream()
                .filter(subscription -> access.environments().map(allowed -> allowed.contains(subscription.environment)).orElse(true))
                .map(WebhookView::of).toList();
    }

    @GET
    @Path("/{id}")
    public WebhookView get(@PathParam("id") UUID id) {
        return WebhookView.of(visible(id));
    }

    @GET
    @Path("/{id}/deliveries")
    public List<DeliveryView> deliveries(@PathParam("id") UUID id) {
        WebhookSubscription subscription = visible(id);
        return WebhookDelivery.latestOf(subscription.id, DELIVERIES_SHOWN).stream().map(DeliveryView::of).toList();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") UUID id) {
        visible(id);
        webhooks.delete(id).orElseThrow(() -> ProblemException.notFound("no webhook " + id));
        return Response.noContent().build();
    }

    private WebhookSubscription visible(UUID id) {
        WebhookSubscription subscription = WebhookSubscription.<WebhookSubscription>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("no webhook " + id));
        access.requireEnvironment(subscription.environment);
        return subscription;
    }
}
