package dev.switchback.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every failure becomes an RFC 9457 problem: status, title, detail, the request path, and never a stack trace. */
class ProblemMappersTest {

    private static final String PATH = "/releases/42";
    private static final UriInfo URI = (UriInfo) Proxy.newProxyInstance(ProblemMappersTest.class.getClassLoader(),
            new Class<?>[]{UriInfo.class}, (proxy, method, args) -> method.getName().equals("getPath") ? PATH : null);

    private final ProblemMappers mappers = new ProblemMappers();

    /** A request body as a resource method receives it. */
    public record Request(@NotBlank @Pattern(regexp = Names.NAME) String service, @NotBlank String version) {
    }

    /** A resource method whose parameter Bean Validation checks. */
    public static class Resource {
        public void submit(@Valid Request request) {
        }
    }

    @Test
    void shouldAnswerARefusalWithItsStatusTitleDetailAndPath() {
        Response response = mappers.problem(ProblemException.conflict("release 42 is already live"), URI);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(response.getEntity()).isEqualTo(
                new Problem("about:blank", "Conflict", 409, "release 42 is already live", PATH, null));
    }

    @Test
    void shouldAnswerALostOptimisticVersionCheckWith409EvenWhenWrappedByTheTransaction() {
        RuntimeException atCommit = new IllegalStateException("commit failed",
                new jakarta.persistence.RollbackException("rolled back",
                        new jakarta.persistence.OptimisticLockException("Row was updated or deleted by another transaction")));

        Response response = mappers.unexpected(atCommit, URI);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(((Problem) response.getEntity()).detail()).contains("changed while this request was being decided");
        assertThat(mappers.unexpected(new IllegalStateException("boom"), URI).getStatus()).isEqualTo(500);
    }

    @Test
    void shouldNameEachInvalidFieldWithoutTheMethodAndParameter() throws Exception {
        Validator validator = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
        Method submit = Resource.class.getMethod("submit", Request.class);
        var violations = validator.forExecutables().validateParameters(new Resource(), submit,
                new Object[]{new Request("Not A Name", "")});

        Response response = mappers.invalid(new ConstraintViolationException(violations), URI);

        Problem problem = (Problem) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(problem.detail()).isEqualTo("the request is invalid");
        assertThat(problem.violations()).extracting(Problem.Violation::field).containsExactly("service", "version");
    }

    @Test
    void shouldNameTheFieldOfABodyThatIsNotTheRightJson() {
        assertThatThrownBy(() -> new ObjectMapper().readValue("{\"service\": [1], \"version\": \"1.0.0\"}", Request.class))
                .isInstanceOfSatisfying(MismatchedInputException.class, e -> {
                    Problem problem = (Problem) mappers.mismatched(e, URI).getEntity();
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.detail()).startsWith("the body is not valid JSON for this request: ");
                    assertThat(problem.violations()).extracting(Problem.Violation::field).containsExactly("service");
                });
    }

    @Test
    void shouldAnswerOtherHttpErrorsWithTheirOwnStatus() {
        Response response = mappers.web(new NotFoundException("no release 42"), URI);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(((Problem) response.getEntity()).title()).isEqualTo("Not Found");
        assertThat(((Problem) response.getEntity()).detail()).isEqualTo("no release 42");
    }

    @Test
    void shouldTellACallerWithoutATokenHowToAuthenticate() {
        Response response = mappers.unauthorized(new UnauthorizedException(), URI);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
    }

    @Test
    void shouldSayWhyATokenWasRefusedWithoutEchoingTheToken() {
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl";
        Response response = mappers.unauthenticated(new AuthenticationFailedException(
                new IllegalStateException("token " + token + " has expired\nforged: line")), URI);

        Problem problem = (Problem) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(problem.detail()).isEqualTo("the bearer token is not valid: token <token> has expired forged: line");
    }

    @Test
    void shouldAnswerAMissingRoleWith403() {
        Problem problem = (Problem) mappers.forbidden(new ForbiddenException(), URI).getEntity();

        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.detail()).isEqualTo("the token's roles do not allow this call");
    }

    @Test
    void shouldAnswerAnUnexpectedFailureWith500AndNoDetailOfIt() {
        Response response = mappers.unexpected(new IllegalStateException("password=hunter2 at db:5432"), URI);

        Problem problem = (Problem) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(problem.detail()).isEqualTo("an unexpected error occurred; it was logged").doesNotContain("hunter2");
        assertThat(problem.violations()).isNull();
    }

    @Test
    void shouldCarryTheViolationsOfARefusalThatHasThem() {
        ProblemException refusal = new ProblemException(422, "Unprocessable Content", "the migration is unsafe",
                List.of(new Problem.Violation("migrations[0]", "drops a column in an expand release")));

        Problem problem = (Problem) mappers.problem(refusal, URI).getEntity();

        assertThat(problem.violations()).containsExactly(
                new Problem.Violation("migrations[0]", "drops a column in an expand release"));
    }
}
